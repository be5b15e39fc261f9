package io.camelsandai.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.camelsandai.osgi.KarafFeatures.BundleUrl;

/**
 * The Karaf features as Maven filters them: valid against Karaf's features XSD, every placeholder filled, every
 * bundle resolvable, an OSGi bundle or {@code wrap:}ped because it is none, at the version the build resolves; the
 * camel-sandai-s3 feature holding exactly the runtime jars the S3 store pulls in (per the dependency tree Maven
 * writes next to the features file); and the camel-core feature it depends on present in the camel-karaf repository.
 */
class FeaturesXmlTest {
    static final Path FEATURES = KarafFeatures.FILE;
    static final Path DEPENDENCY_TREE = Path.of("target/feature/dependency-tree.txt");
    static final String SDK_GROUP = "software.amazon.awssdk";
    /**
     * Bundles whose own manifest makes an import mandatory that we never use: msgpack-core's android.os, amqp-client's
     * Netty (we use its blocking socket IO; Netty is excluded from the build).
     */
    static final Map<String, String> REWRAPPED_FOR_OPTIONAL_IMPORT
            = Map.of("msgpack-core", "android.os", "amqp-client", "io.netty*");

    @Test
    void validAgainstTheKarafFeaturesSchema() throws Exception {
        URL xsd = getClass().getClassLoader().getResource("org/apache/karaf/features/karaf-features-1.6.0.xsd");
        assertNotNull(xsd, "org.apache.karaf.features.core on the test classpath");
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
        schema.newValidator().validate(new StreamSource(FEATURES.toFile()));
        assertFalse(Files.readString(FEATURES).contains("${"), "every ${...} filled in by Maven");
    }

    @Test
    void everyBundleResolvesIsABundleOrWrappedAndMatchesTheClasspath() throws Exception {
        List<BundleUrl> urls = KarafFeatures.allBundles(KarafFeatures.parse(FEATURES));
        assertTrue(urls.stream().anyMatch(u -> u.url().startsWith("mvn:io.camelsandai/camel-sandai/")));
        for (BundleUrl url : urls) {
            if (url.groupId().equals("io.camelsandai")) {
                continue; // our own bundle: its manifest is checked by OsgiRuntimeTest
            }
            Path jar = url.jar();
            assertTrue(Files.exists(jar), url.url() + " resolves in the local repository");
            boolean bundle = KarafFeatures.isBundle(jar);
            if (!url.wrapped()) {
                assertTrue(bundle, url.url() + " has no OSGi manifest: it needs wrap:");
            } else if (REWRAPPED_FOR_OPTIONAL_IMPORT.containsKey(url.artifactId())) {
                // A bundle, re-wrapped only to make imports no container is sure to have optional.
                assertEquals("merge", url.wrap().get("overwrite"), url.url());
                assertTrue(url.wrap().get("Import-Package")
                        .contains(REWRAPPED_FOR_OPTIONAL_IMPORT.get(url.artifactId()) + ";resolution:=optional"),
                        url.url());
            } else {
                assertFalse(bundle, url.url() + " already is a bundle: drop the wrap:");
                assertEquals(url.version(), url.wrap().get("Bundle-Version"), url.url());
                assertEquals("wrap_" + url.groupId() + "." + url.artifactId(), url.wrap().get("Bundle-SymbolicName"),
                        url.url());
            }
            // Same version as the build's classpath, when the build uses that artifact.
            Path artifactDir = Path.of(url.groupId().replace('.', '/'), url.artifactId());
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (p.getParent() != null && p.getParent().getParent() != null
                    && p.getParent().getParent().endsWith(artifactDir)) {
                    assertEquals(url.artifactId() + "-" + url.version() + ".jar", p.getFileName().toString(),
                            url.url() + " vs classpath");
                }
            }
        }
    }

    /**
     * Derived from the build, not from a list here: every compile/runtime artifact under the AWS SDK modules the pom
     * declares is in camel-sandai-s3 at the resolved version, and nothing else is (no Netty: it is excluded).
     */
    @Test
    void s3FeatureHoldsExactlyTheRuntimeJarsOfTheSdkDependencies() throws Exception {
        Map<String, String> expected = s3RuntimeArtifacts(Files.readAllLines(DEPENDENCY_TREE));
        assertTrue(expected.containsKey(SDK_GROUP + ":s3") && expected.containsKey(SDK_GROUP + ":apache-client"),
                "the tree shows the SDK modules the pom declares: " + expected.keySet());
        assertTrue(expected.size() > 20, "the SDK's transitive set was read: " + expected.keySet());
        assertFalse(expected.keySet().stream().anyMatch(k -> k.contains("netty")), "netty is excluded in the pom");

        Document features = KarafFeatures.parse(FEATURES);
        Map<String, String> listed = new TreeMap<>();
        for (BundleUrl url : KarafFeatures.bundles(KarafFeatures.feature(features, "camel-sandai-s3"))) {
            listed.put(url.groupId() + ":" + url.artifactId(), url.version());
        }
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(listed.keySet());
        assertTrue(missing.isEmpty(), "runtime jars of the S3 store missing from camel-sandai-s3: " + missing);
        Set<String> extra = new TreeSet<>(listed.keySet());
        extra.removeAll(expected.keySet());
        assertTrue(extra.isEmpty(), "camel-sandai-s3 lists jars the S3 store does not use: " + extra);
        assertEquals(expected, listed, "versions in camel-sandai-s3 vs the dependency tree");

        assertTrue(KarafFeatures.dependencies(KarafFeatures.feature(features, "camel-sandai")).contains("camel-sandai-s3"),
                "feature camel-sandai brings the AWS SDK");
    }

    @Test
    void camelCoreFeatureExistsInTheNamedRepository() throws Exception {
        Document features = KarafFeatures.parse(FEATURES);
        String repo = features.getElementsByTagNameNS(KarafFeatures.NS, "repository").item(0).getTextContent().trim();
        String[] gav = repo.substring(4).split("/");
        Path xml = KarafFeatures.localRepository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + "-features.xml");
        assertTrue(Files.exists(xml), repo + " resolves in the local repository");
        NodeList camel = KarafFeatures.parse(xml).getElementsByTagName("feature");
        boolean found = false;
        for (int i = 0; i < camel.getLength(); i++) {
            Element f = (Element) camel.item(i);
            found |= "camel-core".equals(f.getAttribute("name")) && f.getAttribute("version").startsWith("4.");
        }
        assertTrue(found, "camel-core 4.x in " + repo);
    }

    /**
     * From {@code mvn dependency:tree} text output: the subtrees of the project's direct AWS SDK dependencies,
     * compile and runtime scope only, as groupId:artifactId -> version.
     */
    static Map<String, String> s3RuntimeArtifacts(List<String> tree) {
        Map<String, String> found = new TreeMap<>();
        boolean inSdkSubtree = false; // every deeper line belongs to the last depth-1 (direct) dependency
        for (String line : tree.subList(1, tree.size())) { // line 0 is the project itself
            int start = firstCoordinateChar(line);
            if (start < 0) {
                continue;
            }
            String[] c = line.substring(start).trim().split(":");
            String scope = c[c.length - 1];
            if (start / 3 == 1) {
                inSdkSubtree = c[0].equals(SDK_GROUP) && isRuntime(scope);
            }
            if (inSdkSubtree && isRuntime(scope)) {
                found.put(c[0] + ":" + c[1], c[c.length - 2]);
            }
        }
        return found;
    }

    private static boolean isRuntime(String scope) {
        return scope.equals("compile") || scope.equals("runtime");
    }

    /** Where "g:a:type:v:scope" starts after the tree's "|  +- " drawing, or -1 for a line without one. */
    private static int firstCoordinateChar(String line) {
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (Character.isLetterOrDigit(ch)) {
                return i;
            }
        }
        return -1;
    }
}
