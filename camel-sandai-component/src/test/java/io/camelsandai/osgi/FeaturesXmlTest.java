package io.camelsandai.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Karaf feature as Maven filters it: valid against Karaf's features XSD, every placeholder filled, every bundle a
 * real OSGi bundle (so none needs {@code wrap:}) at the version the build resolves, and the camel-core feature it
 * depends on present in the camel-karaf repository it names.
 */
class FeaturesXmlTest {
    static final Path FEATURES = Path.of("target/feature/features.xml");
    static final String NS = "http://karaf.apache.org/xmlns/features/v1.6.0";

    @Test
    void validAgainstTheKarafFeaturesSchema() throws Exception {
        URL xsd = getClass().getClassLoader().getResource("org/apache/karaf/features/karaf-features-1.6.0.xsd");
        assertNotNull(xsd, "org.apache.karaf.features.core on the test classpath");
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
        schema.newValidator().validate(new StreamSource(FEATURES.toFile()));
        assertFalse(Files.readString(FEATURES).contains("${"), "every ${...} filled in by Maven");
    }

    @Test
    void everyBundleIsAnOsgiBundleAtTheResolvedVersion() throws Exception {
        List<String> urls = bundleUrls(parse(FEATURES));
        assertTrue(urls.stream().anyMatch(u -> u.startsWith("mvn:io.camelsandai/camel-sandai/")));
        for (String url : urls) {
            if (url.startsWith("wrap:")) {
                // Only msgpack-core, and only to make its android.os / sun.* imports optional.
                assertTrue(url.startsWith("wrap:mvn:org.msgpack/msgpack-core/"), url);
                assertTrue(url.contains("android.os;resolution:=optional"), url);
                url = url.substring("wrap:".length(), url.indexOf('$'));
            }
            assertTrue(url.startsWith("mvn:"), url);
            String[] gav = url.substring(4).split("/");
            if (gav[0].equals("io.camelsandai")) {
                continue; // our own bundle: its manifest is checked by OsgiRuntimeTest
            }
            Path jar = localRepository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                    .resolve(gav[1] + "-" + gav[2] + ".jar");
            assertTrue(Files.exists(jar), url + " resolves in the local repository");
            try (JarFile file = new JarFile(jar.toFile())) {
                assertNotNull(file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"),
                        url + " has an OSGi manifest");
            }
            // Same version as the build's classpath, when the build uses that artifact.
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (p.getParent() != null && p.getParent().getParent() != null
                    && p.getParent().getParent().getFileName().toString().equals(gav[1])) {
                    assertEquals(gav[1] + "-" + gav[2] + ".jar", p.getFileName().toString(), url + " vs classpath");
                }
            }
        }
    }

    @Test
    void camelCoreFeatureExistsInTheNamedRepository() throws Exception {
        Document features = parse(FEATURES);
        String repo = features.getElementsByTagNameNS(NS, "repository").item(0).getTextContent().trim();
        String[] gav = repo.substring(4).split("/");
        Path xml = localRepository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + "-features.xml");
        assertTrue(Files.exists(xml), repo + " resolves in the local repository");
        NodeList camel = parse(xml).getElementsByTagName("feature");
        boolean found = false;
        for (int i = 0; i < camel.getLength(); i++) {
            Element f = (Element) camel.item(i);
            found |= "camel-core".equals(f.getAttribute("name")) && f.getAttribute("version").startsWith("4.");
        }
        assertTrue(found, "camel-core 4.x in " + repo);
    }

    static List<String> bundleUrls(Document features) {
        NodeList bundles = features.getElementsByTagNameNS(NS, "bundle");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < bundles.getLength(); i++) {
            urls.add(bundles.item(i).getTextContent().trim());
        }
        return urls;
    }

    static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    static Path localRepository() throws IOException {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
