package io.camelsandai.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import io.camelsandai.component.SandaiComponent;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.osgi.karaf.GreetingRoutes;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * camel-sandai in Apache Karaf 4.4.8 (run with {@code mvn -Pkaraf-it}, which unpacks the distribution; tagged
 * {@code karaf} and left out of the default suite). camel-karaf's Camel bundles are not served by the registry here,
 * so a test-only features file provides a {@code camel-core} feature made of the plain Camel jars as {@code wrap:mvn:}
 * URLs: camel-api is the host bundle and the other Camel jars are wrapped as its fragments, so that Camel's split
 * packages and its own META-INF/services lookup files share one class loader (what camel-karaf's re-packaging
 * achieves). Our {@code camel-sandai} feature is then installed from the build's features.xml (minus the camel-karaf
 * repository reference), every {@code mvn:} URL resolved from the local repository, offline. A route bundle dropped
 * into {@code deploy/} serves {@code karaf-greet:v1} and, per request, calls {@code test-upper:v1} served by this JVM:
 * one request from here exercises the consumer and the producer inside Karaf, through a real Redis.
 */
@Tag("karaf")
@Timeout(600)
class KarafRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    static final Path WORK = Path.of("target/karaf-it");
    static final String ROUTE_BUNDLE = "io.camelsandai.osgi.karaf-routes";

    @Test
    void sandaiRoutesServeAndCallFromKaraf() throws Exception {
        OsgiRuntimeTest.deleteTree(WORK);
        Path buildRepository = WORK.resolve("build-repository");
        String version = sandaiVersion();
        OsgiRuntimeTest.sandaiBundle(buildRepository.resolve("io/camelsandai/camel-sandai/" + version
                + "/camel-sandai-" + version + ".jar"));
        Path camelCoreFeatures = writeCamelCoreFeatures(WORK.resolve("camel-core-features.xml"));
        Path sandaiFeatures = writeSandaiFeatures(WORK.resolve("camel-sandai-features.xml"));
        Path routeBundle = routeBundle(WORK.resolve("karaf-routes.jar"));

        try (KarafRuntime karaf = KarafRuntime.prepare(distribution(), WORK.resolve("karaf"),
                KarafFeatures.localRepository(), buildRepository,
                Map.of(GreetingRoutes.BROKER_URL_PROPERTY, REDIS.url()))) {
            karaf.start();
            String level = karaf.client("system:start-level");
            assertTrue(level.contains("Level 100"), () -> "Karaf started: " + level + "\n" + karaf.logTail(40));

            String install = karaf.client(
                    "feature:repo-add " + camelCoreFeatures.toAbsolutePath().toUri(),
                    "feature:repo-add " + sandaiFeatures.toAbsolutePath().toUri(),
                    "feature:install camel-sandai",
                    "feature:list -i");
            assertTrue(Pattern.compile("(?m)^camel-core\\s*\\|\\s*4\\.14").matcher(install).find(),
                    () -> "camel-core (wrapped) installed:\n" + install + "\n" + karaf.logTail(40));
            String osgiVersion = version.replace('-', '.'); // 0.1.0-SNAPSHOT is listed as 0.1.0.SNAPSHOT
            assertTrue(Pattern.compile("(?m)^camel-sandai\\s*\\|\\s*" + Pattern.quote(osgiVersion)).matcher(install)
                    .find(), () -> "camel-sandai installed:\n" + install + "\n" + karaf.logTail(40));
            assertTrue(Pattern.compile("(?m)^camel-sandai-s3\\s*\\|").matcher(install).find(),
                    () -> "camel-sandai-s3 installed:\n" + install);

            Files.copy(routeBundle, karaf.deployDir().resolve(routeBundle.getFileName()));

            try (CamelContext camel = testSideCamel()) {
                camel.start();
                @SuppressWarnings("unchecked")
                Map<String, Object> reply = (Map<String, Object>) camel.createProducerTemplate()
                        .requestBody("sandai:karaf-greet:v1?timeout=120s", Map.of("options", Map.of("text", "karaf")));
                assertEquals(Map.of("greeting", "hello KARAF", "routeBundle", ROUTE_BUNDLE,
                        "componentBundle", "io.camelsandai.camel-sandai", "camelBundle", "org.apache.camel.wrapped"),
                        reply.get("results"), () -> "reply " + reply + "\n" + karaf.logTail(40));
            }

            String bundles = karaf.client("bundle:list -t 0");
            assertTrue(Pattern.compile("(?m)\\|\\s*Active\\s*\\|.*\\|\\s*camel-sandai\\s*$").matcher(bundles).find(),
                    () -> "camel-sandai bundle active:\n" + bundles);
            assertTrue(Pattern.compile("(?m)\\|\\s*Active\\s*\\|.*org\\.apache\\.camel\\.wrapped, Fragments:")
                    .matcher(bundles).find(), () -> "wrapped Camel host with its fragments:\n" + bundles);
        }
    }

    /** The test side: serves test-upper:v1, which the Karaf route calls with its producer. */
    private static CamelContext testSideCamel() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        SandaiComponent sandai = new SandaiComponent();
        sandai.getConfiguration().setBrokerUrl(REDIS.url());
        camel.addComponent("sandai", sandai);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:test-upper:v1").routeId("test-upper").process(e -> {
                    OperatorRequest request = e.getMessage().getBody(OperatorRequest.class);
                    String text = String.valueOf(request.options().get("text"));
                    e.getMessage().setBody(Map.of("results", Map.of("upper", text.toUpperCase())));
                });
            }
        });
        return camel;
    }

    /** The unpacked distribution: the karaf-it profile sets this property. */
    private static Path distribution() {
        String dir = System.getProperty("karaf.distribution");
        if (dir == null) {
            throw new IllegalStateException("run with -Pkaraf-it (it unpacks Karaf and sets karaf.distribution)");
        }
        return Path.of(dir);
    }

    /** Our bundle's version, as features.xml names it. */
    private static String sandaiVersion() throws Exception {
        return KarafFeatures.allBundles(KarafFeatures.parse(KarafFeatures.FILE)).stream()
                .filter(u -> u.groupId().equals("io.camelsandai")).findFirst().orElseThrow().version();
    }

    /**
     * A stand-in for camel-karaf's camel-core feature: camel-api wrapped as the host bundle exporting
     * org.apache.camel.* at the Camel version, the other Camel jars wrapped as its fragments.
     */
    private static Path writeCamelCoreFeatures(Path file) throws Exception {
        String host = "org.apache.camel.wrapped";
        List<String> bundles = new ArrayList<>();
        String version = null;
        for (String artifactId : OsgiRuntimeTest.CAMEL_JARS) {
            version = OsgiRuntimeTest.classpathJar(artifactId).getParent().getFileName().toString();
            boolean isHost = bundles.isEmpty();
            String url = "wrap:mvn:org.apache.camel/" + artifactId + "/" + version
                    + "$Bundle-SymbolicName=" + (isHost ? host : host + "." + artifactId)
                    + "&Bundle-Version=" + version
                    + (isHost ? "" : "&Fragment-Host=" + host)
                    + "&Export-Package=org.apache.camel.*;version=" + version;
            bundles.add("    <bundle>" + url.replace("&", "&amp;") + "</bundle>");
        }
        String xml = "<features name=\"camel-core-wrapped\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"camel-core\" version=\"" + version + "\">\n"
                + String.join("\n", bundles) + "\n  </feature>\n</features>\n";
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml);
        return file;
    }

    /** The build's features.xml without the camel-karaf repository (camel-core comes from the file above). */
    private static Path writeSandaiFeatures(Path file) throws Exception {
        String xml = Files.readString(KarafFeatures.FILE);
        String stripped = xml.replaceAll("<repository>[^<]*</repository>", "");
        assertTrue(!stripped.equals(xml) && !stripped.contains("<repository>"), "one camel-karaf repository removed");
        Files.writeString(file, stripped);
        return file;
    }

    /** The package io.camelsandai.osgi.karaf as a bundle whose activator starts the routes. */
    private static Path routeBundle(Path out) throws Exception {
        try (Builder b = new Builder()) {
            b.addClasspath(new File("target/test-classes"));
            b.addClasspath(new File("target/classes"));
            for (String name : OsgiRuntimeTest.CAMEL_JARS) {
                b.addClasspath(OsgiRuntimeTest.classpathJar(name).toFile());
            }
            b.addClasspath(OsgiRuntimeTest.classpathJar("org.apache.felix.framework").toFile());
            b.setProperty("Bundle-SymbolicName", ROUTE_BUNDLE);
            b.setProperty("Bundle-Version", "1.0.0");
            b.setProperty("Bundle-Activator", GreetingRoutes.class.getName());
            b.setProperty("Private-Package", GreetingRoutes.class.getPackageName());
            b.setProperty("Import-Package", "*");
            b.setProperty("-metainf-services", "none");
            b.setProperty("-noextraheaders", "true");
            Jar jar = b.build();
            assertTrue(b.getErrors().isEmpty(), () -> "route bundle: " + b.getErrors());
            jar.write(out.toFile());
            return out;
        }
    }
}
