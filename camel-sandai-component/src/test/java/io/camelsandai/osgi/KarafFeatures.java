package io.camelsandai.osgi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Jar;

/**
 * The features file as Maven filtered it (target/feature/features.xml), read the way Karaf reads it: features by
 * name, bundle URLs ({@code mvn:} and {@code wrap:mvn:...$instructions}) resolved in the local Maven repository, and
 * {@code wrap:} applied with the defaults of Karaf's pax-url-wrap (imports optional, all packages exported, a
 * bundle's own manifest kept unless {@code overwrite=merge}), so the tests install exactly what Karaf would.
 */
final class KarafFeatures {
    static final Path FILE = Path.of("target/feature/features.xml");
    static final String NS = "http://karaf.apache.org/xmlns/features/v1.6.0";

    private KarafFeatures() {
    }

    /** One {@code <bundle>} URL taken apart. */
    record BundleUrl(String url, String groupId, String artifactId, String version, Map<String, String> wrap) {
        static BundleUrl parse(String url) {
            String mvn = url;
            Map<String, String> wrap = null;
            if (url.startsWith("wrap:")) {
                wrap = new LinkedHashMap<>();
                int dollar = url.indexOf('$');
                mvn = url.substring("wrap:".length(), dollar < 0 ? url.length() : dollar);
                if (dollar >= 0) {
                    for (String instruction : url.substring(dollar + 1).split("&")) {
                        int eq = instruction.indexOf('=');
                        wrap.put(instruction.substring(0, eq), instruction.substring(eq + 1));
                    }
                }
            }
            if (!mvn.startsWith("mvn:")) {
                throw new IllegalArgumentException("not a mvn: URL: " + url);
            }
            String[] gav = mvn.substring("mvn:".length()).split("/");
            return new BundleUrl(url, gav[0], gav[1], gav[2], wrap);
        }

        boolean wrapped() {
            return wrap != null;
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        Path jar() throws IOException {
            return localRepository().resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                    .resolve(artifactId + "-" + version + ".jar");
        }
    }

    static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    static Element feature(Document features, String name) {
        NodeList all = features.getElementsByTagNameNS(NS, "feature");
        for (int i = 0; i < all.getLength(); i++) {
            Element f = (Element) all.item(i);
            if (f.getParentNode() == features.getDocumentElement() && name.equals(f.getAttribute("name"))) {
                return f;
            }
        }
        throw new IllegalArgumentException("no feature " + name);
    }

    /** The features a feature names as its dependencies. */
    static List<String> dependencies(Element feature) {
        List<String> names = new ArrayList<>();
        NodeList children = feature.getElementsByTagNameNS(NS, "feature");
        for (int i = 0; i < children.getLength(); i++) {
            names.add(children.item(i).getTextContent().trim());
        }
        return names;
    }

    static List<BundleUrl> bundles(Element feature) {
        List<BundleUrl> urls = new ArrayList<>();
        NodeList bundles = feature.getElementsByTagNameNS(NS, "bundle");
        for (int i = 0; i < bundles.getLength(); i++) {
            urls.add(BundleUrl.parse(bundles.item(i).getTextContent().trim()));
        }
        return urls;
    }

    static List<BundleUrl> allBundles(Document features) {
        return bundles(features.getDocumentElement());
    }

    static boolean isBundle(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest m = file.getManifest();
            return m != null && m.getMainAttributes().getValue("Bundle-SymbolicName") != null;
        }
    }

    /**
     * The jar Karaf would install for this URL, written under {@code workDir}: the jar itself for {@code mvn:}, and
     * for {@code wrap:} what pax-url-wrap makes of it (its instructions, then its defaults for what they leave out).
     */
    static Path installable(BundleUrl url, Path workDir) throws Exception {
        Path jar = url.jar();
        if (!url.wrapped()) {
            return jar;
        }
        Map<String, String> instructions = new LinkedHashMap<>(url.wrap());
        boolean merge = "merge".equalsIgnoreCase(instructions.remove("overwrite"));
        try (Analyzer analyzer = new Analyzer()) {
            Jar content = new Jar(jar.toFile());
            analyzer.setJar(content);
            Manifest own = content.getManifest();
            boolean alreadyABundle = own != null && (own.getMainAttributes().getValue("Export-Package") != null
                    || own.getMainAttributes().getValue("Import-Package") != null);
            if (alreadyABundle && !merge) {
                return jar; // pax-url-wrap's default (overwrite=keep) leaves a bundle alone
            }
            instructions.forEach(analyzer::setProperty);
            if (merge && own != null) {
                analyzer.mergeManifest(own); // keeps what the instructions set, takes the rest from the jar
            }
            if (analyzer.getProperty(Analyzer.IMPORT_PACKAGE) == null) {
                analyzer.setProperty(Analyzer.IMPORT_PACKAGE, "*;resolution:=optional");
            }
            if (analyzer.getProperty(Analyzer.EXPORT_PACKAGE) == null) {
                analyzer.setProperty(Analyzer.EXPORT_PACKAGE, analyzer.calculateExportsFromContents(content));
            }
            if (analyzer.getProperty(Analyzer.BUNDLE_SYMBOLICNAME) == null) {
                analyzer.setProperty(Analyzer.BUNDLE_SYMBOLICNAME,
                        url.coordinates().replaceAll("[^a-zA-Z_0-9.-]", "_"));
            }
            content.setManifest(analyzer.calcManifest());
            if (!analyzer.getErrors().isEmpty()) {
                throw new IllegalStateException(url.url() + ": " + analyzer.getErrors());
            }
            Path out = workDir.resolve("wrap_" + jar.getFileName());
            content.write(out.toFile());
            return out;
        }
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
