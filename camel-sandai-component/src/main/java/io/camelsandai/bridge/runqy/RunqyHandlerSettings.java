package io.camelsandai.bridge.runqy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link RunqyHandlerPool} runs a runqy-python handler.
 *
 * <pre>{@code
 * RunqyHandlerSettings.builder(List.of("/usr/bin/python3", "handler.py"))
 *         .workingDir(Path.of("/srv/handler")).processes(2).taskTimeout(Duration.ofMinutes(5)).build();
 * }</pre>
 */
public final class RunqyHandlerSettings {
    /** runqy-worker's scanner buffer: a longer stdout line is refused. */
    public static final int DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;

    private final List<String> command;
    private final Path workingDir;
    private final Map<String, String> environment;
    private final int processes;
    private final RunqyHandlerMode mode;
    private final Duration startupTimeout;
    private final Duration taskTimeout;
    private final int maxRestarts;
    private final Duration restartCooldown;
    private final Duration restartBackoff;
    private final Duration maxRestartBackoff;
    private final int maxLineBytes;
    private final Path workRoot;
    private final String taskType;
    private final int maxRetry;
    private final String name;

    private RunqyHandlerSettings(Builder b) {
        if (b.command.isEmpty()) {
            throw new IllegalArgumentException("command must name the handler program, e.g. [python3, handler.py]");
        }
        if (b.processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1, got " + b.processes);
        }
        if (b.maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0, got " + b.maxRestarts);
        }
        if (b.maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + b.maxLineBytes);
        }
        this.command = List.copyOf(b.command);
        this.workingDir = b.workingDir;
        this.environment = Map.copyOf(b.environment);
        this.processes = b.processes;
        this.mode = b.mode;
        this.startupTimeout = positive(b.startupTimeout, "startupTimeout");
        this.taskTimeout = positive(b.taskTimeout, "taskTimeout");
        this.maxRestarts = b.maxRestarts;
        this.restartCooldown = positive(b.restartCooldown, "restartCooldown");
        this.restartBackoff = positive(b.restartBackoff, "restartBackoff");
        this.maxRestartBackoff = positive(b.maxRestartBackoff, "maxRestartBackoff");
        this.maxLineBytes = b.maxLineBytes;
        this.workRoot = b.workRoot;
        this.taskType = b.taskType;
        this.maxRetry = b.maxRetry;
        this.name = b.name != null ? b.name : Path.of(command.get(command.size() - 1)).getFileName().toString();
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** Splits a command line on whitespace (no quoting); use {@link #builder(List)} for arguments with spaces. */
    public static Builder builder(String commandLine) {
        return new Builder(List.of(commandLine.trim().split("\\s+")));
    }

    public List<String> command() {
        return command;
    }

    /** Directory the children start in; null = this JVM's. */
    public Path workingDir() {
        return workingDir;
    }

    /** Extra environment for the children (runqy's vault entries); never logged. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Children in long-running mode; tasks run at once in one-shot mode. */
    public int processes() {
        return processes;
    }

    public RunqyHandlerMode mode() {
        return mode;
    }

    /** Time from start to the {@code {"status":"ready"}} line. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Time from sending a request to its answer (runqy's active timeout). */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    /** Restarts of one child tried within {@link #restartCooldown()} before it waits out the cooldown. */
    public int maxRestarts() {
        return maxRestarts;
    }

    public Duration restartCooldown() {
        return restartCooldown;
    }

    /** First restart delay; doubled per consecutive failure up to {@link #maxRestartBackoff()}. */
    public Duration restartBackoff() {
        return restartBackoff;
    }

    public Duration maxRestartBackoff() {
        return maxRestartBackoff;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * When set, each task gets the directory {@code <workRoot>/<task id>} (sent as payload {@code work_dir}); files
     * the handler names under it in {@code result.output_artifacts} become output artifacts. Null = no work dirs.
     */
    public Path workRoot() {
        return workRoot;
    }

    /** The request's {@code type}; null = the task's queue name, as runqy sets it. */
    public String taskType() {
        return taskType;
    }

    /** The request's {@code max_retry}. */
    public int maxRetry() {
        return maxRetry;
    }

    /** Shown in logs and thread names. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        // The environment may hold secrets (vault entries): only its keys are shown.
        return "RunqyHandlerSettings[" + name + " " + command + " mode=" + mode + " processes=" + processes
               + " env=" + environment.keySet() + "]";
    }

    public static final class Builder {
        private final List<String> command;
        private Path workingDir;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int processes = 1;
        private RunqyHandlerMode mode = RunqyHandlerMode.LONG_RUNNING;
        private Duration startupTimeout = Duration.ofSeconds(300);
        private Duration taskTimeout = Duration.ofMinutes(30);
        private int maxRestarts = 5;
        private Duration restartCooldown = Duration.ofSeconds(60);
        private Duration restartBackoff = Duration.ofSeconds(1);
        private Duration maxRestartBackoff = Duration.ofSeconds(30);
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private Path workRoot;
        private String taskType;
        private int maxRetry = 3;
        private String name;

        private Builder(List<String> command) {
            this.command = new ArrayList<>(Objects.requireNonNull(command, "command"));
        }

        public Builder workingDir(Path v) {
            workingDir = v;
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder processes(int v) {
            processes = v;
            return this;
        }

        public Builder mode(RunqyHandlerMode v) {
            mode = Objects.requireNonNull(v);
            return this;
        }

        public Builder startupTimeout(Duration v) {
            startupTimeout = v;
            return this;
        }

        public Builder taskTimeout(Duration v) {
            taskTimeout = v;
            return this;
        }

        public Builder maxRestarts(int v) {
            maxRestarts = v;
            return this;
        }

        public Builder restartCooldown(Duration v) {
            restartCooldown = v;
            return this;
        }

        public Builder restartBackoff(Duration v) {
            restartBackoff = v;
            return this;
        }

        public Builder maxRestartBackoff(Duration v) {
            maxRestartBackoff = v;
            return this;
        }

        public Builder maxLineBytes(int v) {
            maxLineBytes = v;
            return this;
        }

        public Builder workRoot(Path v) {
            workRoot = v;
            return this;
        }

        public Builder taskType(String v) {
            taskType = v;
            return this;
        }

        public Builder maxRetry(int v) {
            maxRetry = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public RunqyHandlerSettings build() {
            return new RunqyHandlerSettings(this);
        }
    }
}
