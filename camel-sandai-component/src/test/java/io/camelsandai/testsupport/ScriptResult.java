package io.camelsandai.testsupport;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Outcome of {@link PythonCelery#runScript}: exit code and the complete stdout/stderr (also kept in
 * {@code target/python-logs/}). {@link #toString()} includes both, so it makes a useful assertion message.
 */
public record ScriptResult(String script, List<String> args, int exitCode, String stdout, String stderr,
                           Path stdoutLog, Path stderrLog) {

    static final ObjectMapper JSON = new ObjectMapper();

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this if the exit code is 0, else fails with the script's output in the message. */
    public ScriptResult assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError(script + " exited with " + exitCode + "\n" + this);
        }
        return this;
    }

    /** Non-blank stdout lines. */
    public List<String> stdoutLines() {
        return stdout.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Every non-blank stdout line parsed as JSON (fails, with the output, on a line that is not JSON). */
    public List<JsonNode> jsonLines() {
        return stdoutLines().stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssertionError("stdout line of " + script + " is not JSON: " + line + "\n" + this, e);
            }
        }).toList();
    }

    @Override
    public String toString() {
        return script + " " + args + " -> exit " + exitCode + "\n"
                + LogTail.block("stdout", stdoutLog, 40) + LogTail.block("stderr", stderrLog, 40);
    }
}
