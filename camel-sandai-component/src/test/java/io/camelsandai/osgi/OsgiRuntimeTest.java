package io.camelsandai.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.w3c.dom.Document;

import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import io.camelsandai.artifact.S3ProxyServer;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * camel-sandai in a real OSGi framework (Apache Felix) against a real Redis and a real S3 endpoint. camel-karaf's
 * re-packaged Camel bundles are not served here, so the plain Camel 4.14 jars are wrapped with bnd at test time (what
 * Karaf's {@code wrap:} does); everything else is installed from the bundle URLs of our Karaf features, {@code wrap:}
 * applied as Karaf's pax-url-wrap would (jedis, msgpack-core, Jackson, the AWS SDK and their dependencies); our jar
 * is installed with the manifest the build generated. A probe bundle then runs a {@code sandai:} consumer route and
 * calls it through a {@code sandai:} producer, and stages an object to S3 and back through io.camelsandai.artifact.
 */
@Timeout(240)
class OsgiRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    static final Path WORK = Path.of("target/osgi-test");
    /** The Camel jars the component needs at run time; wrapped together, as Camel's split packages require. */
    static final List<String> CAMEL_JARS = List.of("camel-api", "camel-util", "camel-util-json", "camel-support",
            "camel-management-api", "camel-xml-jaxp-util", "camel-health", "camel-base", "camel-base-engine",
            "camel-core-engine", "camel-core-model", "camel-core-processor", "camel-core-reifier", "camel-core-languages");
    /** What camel-karaf's camel-core feature brings besides Camel itself and our feature needs. */
    static final List<String> FROM_CAMEL_CORE_FEATURE = List.of("slf4j-api");
    static final String BUCKET = "osgi-staging";

    @Test
    void sandaiRoutesAndS3StagingRunInFelix() throws Exception {
        List<Path> bundles = prepare(List.of("camel-sandai", "camel-sandai-s3"));
        Framework felix = startFelix();
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            s3.createBucket(BUCKET);
            Installed installed = installAndStart(felix, bundles);
            Bundle sandaiBundle = installed.sandai();
            assertEquals(Bundle.ACTIVE, sandaiBundle.getState());
            assertEquals("io.camelsandai.camel-sandai", sandaiBundle.getSymbolicName());

            // Every AWS SDK package our bundle imports (optionally) is wired, to the feature's wrapped SDK bundles.
            Map<String, String> sdkWires = sdkImportWires(sandaiBundle);
            assertFalse(sdkImports(sandaiBundle).isEmpty(), "the camel-sandai bundle imports the AWS SDK");
            assertEquals(sdkImports(sandaiBundle), sdkWires.keySet(), "SDK imports left unwired");
            for (Map.Entry<String, String> wire : sdkWires.entrySet()) {
                assertTrue(wire.getValue().startsWith("wrap_software.amazon.awssdk."),
                        wire.getKey() + " wired to " + wire.getValue());
            }
            assertEquals("wrap_software.amazon.awssdk.s3", sdkWires.get("software.amazon.awssdk.services.s3"));

            Map<String, Object> route = probe(installed.probe(), "RouteProbe",
                    Map.of("brokerUrl", REDIS.url(), "text", "from felix"));
            // Both directions: the producer's reply is what the consumer route answered.
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) route.get("reply");
            assertNotNull(reply, "reply from the sandai: consumer route");
            assertEquals(Map.of("echo", "from felix"), reply.get("results"));
            // ... and the classes came from the bundles, not from the test's class path.
            assertTrue(String.valueOf(route.get("componentLoader")).contains("io.camelsandai.camel-sandai"),
                    "component loaded by its bundle: " + route.get("componentLoader"));
            assertTrue(String.valueOf(route.get("camelLoader")).contains("org.apache.camel.wrapped"),
                    "Camel loaded by the wrapped bundle: " + route.get("camelLoader"));

            Map<String, Object> staged = probe(installed.probe(), "S3Probe", Map.of("endpoint",
                    s3.endpoint().toString(), "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey",
                    S3ProxyServer.SECRET_KEY, "bucket", BUCKET));
            assertNull(staged.get("error"), () -> "S3 staging in Felix: " + staged.get("error"));
            assertTrue(String.valueOf(staged.get("storeLoader")).contains("io.camelsandai.camel-sandai"),
                    "S3 store loaded by our bundle: " + staged.get("storeLoader"));
            assertTrue(String.valueOf(staged.get("clientLoader")).contains("wrap_software.amazon.awssdk.s3"),
                    "S3 client loaded by the wrapped SDK bundle: " + staged.get("clientLoader"));
            long size = 12 * 1024 * 1024 + 12345; // above the 5 MiB multipart threshold the probe sets: 3 parts
            assertEquals(size, staged.get("writtenSize"));
            assertEquals(size, staged.get("statSize"));
            assertEquals(size, staged.get("readSize"));
            assertEquals(staged.get("expectedSha256"), staged.get("writtenSha256"));
            assertEquals(staged.get("expectedSha256"), staged.get("readSha256"));
            assertEquals(false, staged.get("existsAfterDelete"));
        } finally {
            felix.stop();
            felix.waitForStop(20_000);
        }
    }

    /**
     * The AWS SDK is an optional import because S3 staging is optional at run time: without the camel-sandai-s3
     * feature our bundle still resolves and serves routes, its SDK imports stay unwired, and an s3:// URI fails with
     * a clear error instead of a class error.
     */
    @Test
    void withoutTheAwsSdkRoutesRunAndS3FailsClearly() throws Exception {
        List<Path> bundles = prepare(List.of("camel-sandai"));
        Framework felix = startFelix();
        try {
            Installed installed = installAndStart(felix, bundles);
            assertEquals(Bundle.ACTIVE, installed.sandai().getState());
            assertTrue(sdkImportWires(installed.sandai()).isEmpty(), "no SDK installed, nothing wired");

            Map<String, Object> route = probe(installed.probe(), "RouteProbe",
                    Map.of("brokerUrl", REDIS.url(), "text", "no sdk"));
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) route.get("reply");
            assertEquals(Map.of("echo", "no sdk"), reply.get("results"));

            Map<String, Object> staged = probe(installed.probe(), "S3Probe", Map.of("endpoint",
                    "http://127.0.0.1:9", "accessKey", "a", "secretKey", "b", "bucket", BUCKET, "expectNoSdk", true));
            String error = String.valueOf(staged.get("error"));
            assertTrue(error.startsWith("io.camelsandai.artifact.ArtifactTransferException: s3:// artifacts need the"
                    + " AWS SDK"), error);
            assertTrue(error.contains("camel-sandai-s3"), error);
        } finally {
            felix.stop();
            felix.waitForStop(20_000);
        }
    }

    record Installed(Bundle sandai, Bundle probe) {
    }

    /** Built once for both tests: wrapping the Camel and AWS SDK jars with bnd is the slow part. */
    static final Map<String, Path> PREPARED = new HashMap<>();

    @BeforeAll
    static void cleanWorkDir() throws IOException {
        deleteTree(WORK);
        Files.createDirectories(WORK);
    }

    /** The jars to install: the bundles of these features (wrap: applied) plus Camel, our bundle and the probe. */
    private static List<Path> prepare(List<String> featureNames) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String name : FROM_CAMEL_CORE_FEATURE) {
            jars.add(classpathJar(name));
        }
        Document features = KarafFeatures.parse(KarafFeatures.FILE);
        for (String name : featureNames) {
            for (KarafFeatures.BundleUrl url : KarafFeatures.bundles(KarafFeatures.feature(features, name))) {
                if (!url.groupId().equals("io.camelsandai")) {
                    jars.add(prepared(url.url(), () -> KarafFeatures.installable(url, WORK)));
                }
            }
        }
        jars.add(prepared("camel", OsgiRuntimeTest::wrapCamel));
        jars.add(prepared("camel-sandai", OsgiRuntimeTest::sandaiBundle));
        jars.add(prepared("probe", OsgiRuntimeTest::probeBundle));
        return jars;
    }

    private static Path prepared(String key, Callable<Path> build) throws Exception {
        Path jar = PREPARED.get(key);
        if (jar == null) {
            jar = build.call();
            PREPARED.put(key, jar);
        }
        return jar;
    }

    private static Framework startFelix() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, WORK.resolve("felix-cache").toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT); // per test
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*"); // as Karaf's default config.properties does
        // slf4j-api 2 asks for a ServiceLoader mediator (SPI Fly in Karaf). With none, it logs nowhere, which is all
        // this test needs: the system bundle stands in for the mediator.
        config.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
                "osgi.extender;osgi.extender=\"osgi.serviceloader.processor\";version:Version=\"1.0\","
                + "osgi.serviceloader;osgi.serviceloader=\"org.slf4j.spi.SLF4JServiceProvider\"");
        Framework felix = new FrameworkFactory().newFramework(config);
        felix.start();
        return felix;
    }

    /** Installs all, resolves them in one go (as Karaf's feature installer does), then starts them. */
    private static Installed installAndStart(Framework felix, List<Path> jars) throws Exception {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(install(felix, jar));
        }
        assertTrue(felix.adapt(FrameworkWiring.class).resolveBundles(null), () -> "unresolved: " + installed.stream()
                .filter(b -> b.getState() == Bundle.INSTALLED).map(Bundle::getSymbolicName).toList());
        for (Bundle b : installed) {
            b.start(); // throws BundleException naming the missing import if the manifests do not fit together
        }
        return new Installed(installed.get(installed.size() - 2), installed.get(installed.size() - 1));
    }

    /** The AWS SDK packages in the bundle's Import-Package header. */
    private static Set<String> sdkImports(Bundle bundle) {
        Set<String> packages = new TreeSet<>(new Parameters(bundle.getHeaders().get(Constants.IMPORT_PACKAGE)).keySet());
        packages.removeIf(p -> !p.startsWith("software.amazon.awssdk"));
        return packages;
    }

    /** Package -> symbolic name of the bundle it is wired to, for each AWS SDK package the bundle imports. */
    private static Map<String, String> sdkImportWires(Bundle bundle) {
        Map<String, String> wires = new TreeMap<>();
        for (BundleWire wire : bundle.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (pkg.startsWith("software.amazon.awssdk")) {
                wires.put(pkg, wire.getProvider().getSymbolicName());
            }
        }
        return wires;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(Bundle probeBundle, String name, Map<String, Object> input)
            throws Exception {
        Function<Map<String, Object>, Map<String, Object>> probe = (Function<Map<String, Object>, Map<String, Object>>)
                probeBundle.loadClass("io.camelsandai.osgi.probe." + name).getDeclaredConstructor().newInstance();
        return probe.apply(input);
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

    /** Our jar as the build packages it: target/classes with the manifest maven-bundle-plugin generated. */
    private static Path sandaiBundle() throws IOException {
        return sandaiBundle(WORK.resolve("camel-sandai.jar"));
    }

    /** Writes our bundle (target/classes with the generated manifest) to {@code jar}. */
    static Path sandaiBundle(Path jar) throws IOException {
        Path classes = Path.of("target/classes");
        Path manifestFile = classes.resolve("META-INF/MANIFEST.MF");
        assertTrue(Files.exists(manifestFile), "maven-bundle-plugin manifest goal ran (process-classes)");
        Manifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = new Manifest(in);
        }
        Files.createDirectories(jar.getParent());
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

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
