package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server whose wall clock is off by a given number of seconds: an {@code LD_PRELOAD} shim (compiled from
 * {@code clock-skew/skew.c} with the system C compiler on first use) shifts {@code gettimeofday},
 * {@code clock_gettime(CLOCK_REALTIME)} and {@code time}, so Redis {@code TIME} and the {@code TIME} of scripts
 * disagree with the JVM clock, as on two hosts with skewed clocks. Empty when no C compiler is there.
 */
public final class ClockSkew {
    public static final String ENV_SECONDS = "SANDAI_CLOCK_SKEW_SECONDS";
    private static Optional<Path> shim;

    private ClockSkew() {
    }

    public static synchronized Optional<Path> shim() {
        if (shim == null) {
            shim = compile();
        }
        return shim;
    }

    /** A Redis with its clock {@code seconds} off the JVM's (negative: behind), or a plain one without the shim. */
    public static RedisServerExtension redis(long seconds) {
        RedisServerExtension.Builder b = RedisServerExtension.builder();
        shim().ifPresent(so -> b.withEnv("LD_PRELOAD", so.toString()).withEnv(ENV_SECONDS, Long.toString(seconds)));
        return b.build();
    }

    private static Optional<Path> compile() {
        Optional<Path> gcc = RedisFiles.findOnPath("gcc").or(() -> RedisFiles.findOnPath("cc"));
        if (gcc.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = ClockSkew.class.getResourceAsStream("/clock-skew/skew.c")) {
            Path dir = TestDirs.dir("clock-skew");
            Path source = dir.resolve("skew.c");
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            Path so = dir.resolve("skew.so");
            Process p = new ProcessBuilder(gcc.get().toString(), "-shared", "-fPIC", "-O2", "-o", so.toString(),
                    source.toString(), "-ldl").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(so) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
