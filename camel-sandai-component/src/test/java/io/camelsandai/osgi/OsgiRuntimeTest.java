package io.camelsandai.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * camel-sandai in a real OSGi framework (Apache Felix) against a real Redis. camel-karaf's re-packaged Camel bundles
 * are not served here, so the plain Camel 4.14 jars are wrapped with bnd at test time (what Karaf's {@code wrap:}
 * does); jedis, msgpack-core, Jackson and their dependencies are installed as the OSGi bundles they already are; our
 * jar is installed with the manifest the build generated. A probe bundle then runs a {@code sandai:} consumer route
 * and calls it through a {@code sandai:} producer.
 */
@Timeout(120)
class OsgiRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    static final Path WORK = Path.of("target/osgi-test");
    /** The Camel jars the component needs at run time; wrapped together, as Camel's split packages require. */
    static final List<String> CAMEL_JARS = List.of("camel-api", "camel-util", "camel-util-json", "camel-support",
            "camel-management-api", "camel-xml-jaxp-util", "camel-health", "camel-base", "camel-base-engine",
            "camel-core-engine", "camel-core-model", "camel-core-processor", "camel-core-reifier", "camel-core-languages");
    /** Dependencies that already are OSGi bundles, installed as they are (as the Karaf feature does). */
    static final List<String> BUNDLES = List.of("slf4j-api", "commons-pool2", "error_prone_annotations", "gson", "json",
            "redis-authx-core", "jedis", "msgpack-core", "jackson-annotations", "jackson-core", "jackson-databind");

    /** Imports msgpack-core declares as mandatory although no JVM container exports them (see features.xml). */
    static final List<String> NOT_IN_A_JVM = List.of("android.os", "sun.misc", "sun.nio.ch");

    @Test
    void sandaiRoutesRunInFelixBothWays() throws Exception {
        deleteTree(WORK);
        Files.createDirectories(WORK);
        Path camel = wrapCamel();
        Path sandai = sandaiBundle();
        Path probe = probeBundle();

        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, WORK.resolve("felix-cache").toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*"); // as Karaf's default config.properties does
        // slf4j-api 2 asks for a ServiceLoader mediator (SPI Fly in Karaf). With none, it logs nowhere, which is all
        // this test needs: the system bundle stands in for the mediator.
        config.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
                "osgi.extender;osgi.extender=\"osgi.serviceloader.processor\";version:Version=\"1.0\","
                + "osgi.serviceloader;osgi.serviceloader=\"org.slf4j.spi.SLF4JServiceProvider\"");
        Framework felix = new FrameworkFactory().newFramework(config);
        felix.start();
        try {
            List<Bundle> installed = new ArrayList<>();
            for (String name : BUNDLES) {
                Path jar = classpathJar(name);
                installed.add(install(felix, name.equals("msgpack-core") ? optionalImports(jar, NOT_IN_A_JVM) : jar));
            }
            installed.add(install(felix, camel));
            Bundle sandaiBundle = install(felix, sandai);
            installed.add(sandaiBundle);
            Bundle probeBundle = install(felix, probe);
            installed.add(probeBundle);
            for (Bundle b : installed) {
                b.start(); // throws BundleException naming the missing import if the manifests do not fit together
            }
            assertEquals(Bundle.ACTIVE, sandaiBundle.getState());
            assertEquals("io.camelsandai.camel-sandai", sandaiBundle.getSymbolicName());

            @SuppressWarnings("unchecked")
            Function<Map<String, Object>, Map<String, Object>> routeProbe = (Function<Map<String, Object>, Map<String, Object>>)
                    probeBundle.loadClass("io.camelsandai.osgi.probe.RouteProbe").getDeclaredConstructor().newInstance();
            Map<String, Object> out = routeProbe.apply(Map.of("brokerUrl", REDIS.url(), "text", "from felix"));

            // Both directions: the producer's reply is what the consumer route answered.
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) out.get("reply");
            assertNotNull(reply, "reply from the sandai: consumer route");
            assertEquals(Map.of("echo", "from felix"), reply.get("results"));
            // ... and the classes came from the bundles, not from the test's class path.
            assertTrue(String.valueOf(out.get("componentLoader")).contains("io.camelsandai.camel-sandai"),
                    "component loaded by its bundle: " + out.get("componentLoader"));
            assertTrue(String.valueOf(out.get("camelLoader")).contains("org.apache.camel.wrapped"),
                    "Camel loaded by the wrapped bundle: " + out.get("camelLoader"));
        } finally {
            felix.stop();
            felix.waitForStop(20_000);
        }
    }

    private static Bundle install(Framework felix, Path jar) throws Exception {
        return felix.getBundleContext().installBundle(jar.toUri().toString());
    }

    /** The plain Camel jars as one bundle exporting org.apache.camel.* at the Camel version. */
    private static Path wrapCamel() throws Exception {
        String version = null;
        List<String> include = new ArrayList<>();
        try (Builder b = new Builder()) {
            for (String name : CAMEL_JARS) {
                Path jar = classpathJar(name);
                String file = jar.getFileName().toString();
                version = file.substring(name.length() + 1, file.length() - ".jar".length());
                b.addClasspath(jar.toFile());
                include.add("@" + jar.toAbsolutePath());
            }
            b.setProperty("Bundle-SymbolicName", "org.apache.camel.wrapped");
            b.setProperty("Bundle-Version", version);
            b.setProperty("-includeresource", String.join(",", include));
            b.setProperty("Export-Package", "org.apache.camel.*;version=" + version + ";-split-package:=merge-first");
            b.setProperty("Import-Package", "*;resolution:=optional");
            // Camel's META-INF/services are its own lookup files, not java.util.ServiceLoader ones: leave them alone.
            b.setProperty("-metainf-services", "none");
            b.setProperty("-noextraheaders", "true");
            return write(b, "camel-wrapped.jar");
        }
    }

    /** What Karaf's {@code wrap:...$overwrite=merge&Import-Package=p;resolution:=optional,*} does to a bundle. */
    private static Path optionalImports(Path jar, List<String> packages) throws IOException {
        Path out = WORK.resolve(jar.getFileName());
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            Parameters imports = new Parameters(manifest.getMainAttributes().getValue("Import-Package"));
            for (String p : packages) {
                Attrs attrs = imports.get(p);
                assertNotNull(attrs, jar.getFileName() + " no longer imports " + p + ": drop the wrap:");
                attrs.put("resolution:", "optional");
            }
            manifest.getMainAttributes().putValue("Import-Package", imports.toString());
            try (JarOutputStream zip = new JarOutputStream(Files.newOutputStream(out), manifest)) {
                for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    zip.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        }
        return out;
    }

    /** Our jar as the build packages it: target/classes with the manifest maven-bundle-plugin generated. */
    private static Path sandaiBundle() throws IOException {
        Path classes = Path.of("target/classes");
        Path manifestFile = classes.resolve("META-INF/MANIFEST.MF");
        assertTrue(Files.exists(manifestFile), "maven-bundle-plugin manifest goal ran (process-classes)");
        Manifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = new Manifest(in);
        }
        Path jar = WORK.resolve("camel-sandai.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                zip.putNextEntry(new JarEntry(name));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** The probe package from the test classes, imports computed by bnd. */
    private static Path probeBundle() throws Exception {
        try (Builder b = new Builder()) {
            b.addClasspath(new File("target/test-classes"));
            b.addClasspath(new File("target/classes"));
            for (String name : CAMEL_JARS) {
                b.addClasspath(classpathJar(name).toFile());
            }
            b.setProperty("Bundle-SymbolicName", "io.camelsandai.osgi.probe");
            b.setProperty("Bundle-Version", "1.0.0");
            b.setProperty("Private-Package", "io.camelsandai.osgi.probe");
            b.setProperty("-metainf-services", "none");
            b.setProperty("Import-Package", "*");
            b.setProperty("-noextraheaders", "true");
            return write(b, "probe.jar");
        }
    }

    private static Path write(Builder b, String fileName) throws Exception {
        Jar jar = b.build();
        assertTrue(b.getErrors().isEmpty(), () -> fileName + ": " + b.getErrors());
        Path out = WORK.resolve(fileName);
        jar.write(out.toFile());
        return out;
    }

    /** The jar of artifact {@code name} on the test class path (Maven resolved it at the pinned version). */
    static Path classpathJar(String artifactId) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            Path versionDir = p.getParent();
            if (entry.endsWith(".jar") && versionDir != null && versionDir.getParent() != null
                && versionDir.getParent().getFileName().toString().equals(artifactId)) {
                return p;
            }
        }
        throw new IllegalStateException(artifactId + " is not on the test class path");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @SuppressWarnings("unused")
    private static boolean hasManifest(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest() != null;
        }
    }
}
