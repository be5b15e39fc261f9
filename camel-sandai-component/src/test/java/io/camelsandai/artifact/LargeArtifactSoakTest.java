package io.camelsandai.artifact;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1 GiB down and up through staging in a child JVM limited to {@code -Xmx256m}: if any layer buffered the whole
 * object, the child would die with OutOfMemoryError. Soak: {@code mvn -o -pl camel-sandai-component test -Dsoak
 * -Dtest=LargeArtifactSoakTest}.
 */
@Tag("soak")
class LargeArtifactSoakTest {

    @Test
    void oneGibibyteStreamsWithA256MegabyteHeap(@TempDir Path tmp) throws Exception {
        long size = 1024L * 1024 * 1024;
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            s3.createBucket("bucket");
            // Surefire may start tests from a manifest-only jar; it also publishes the real test class path.
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = tmp.resolve("child.log");
            Process child = new ProcessBuilder(List.of(javaBin.toString(), "-Xmx256m", "-cp", classPath,
                    LargeArtifactChild.class.getName(), s3.endpoint().toString(), String.valueOf(size), tmp.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = child.waitFor(20, TimeUnit.MINUTES);
            if (!finished) {
                child.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, "child did not finish in time:\n" + output);
            assertEquals(0, child.exitValue(), output);
            String expected = TestData.sha256(TestData.stream(size, 99));
            String okLine = output.lines().filter(l -> l.startsWith("OK ")).findFirst().orElse("");
            assertTrue(okLine.startsWith("OK " + expected + " "), output);
            long peak = Long.parseLong(okLine.split(" ")[2]);
            System.out.println("1 GiB round trip, child heap peak " + peak / (1024 * 1024) + " MiB");
            assertTrue(peak < 256L * 1024 * 1024, "heap peak " + peak);
        }
    }
}
