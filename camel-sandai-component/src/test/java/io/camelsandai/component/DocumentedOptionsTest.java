package io.camelsandai.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.junit.jupiter.api.Test;

import io.camelsandai.bridge.templates.SandaiBridgeTemplates;

/**
 * The README's tables say what the code does: the option and header tables match the component catalog
 * ({@code sandai.json}) row for row, and each route template's parameter table matches the template's own
 * definition (name, default, required or optional, description). On a difference the expected Markdown is written
 * to {@code target/documented-options/} to paste over the old table.
 */
class DocumentedOptionsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXPECTED = Path.of("target", "documented-options");

    @Test
    void optionTableIsTheCatalog() throws IOException {
        JsonNode catalog = catalog();
        List<String> rows = new ArrayList<>();
        catalog.get("properties").fields().forEachRemaining(e -> {
            JsonNode o = e.getValue();
            if (SandaiConfiguration.class.getName().equals(o.path("configurationClass").asText())) {
                String description = o.get("description").asText()
                                     + (o.path("secret").asBoolean() ? " (secret: masked in the endpoint URI)" : "");
                rows.add("| `" + e.getKey() + "` | " + o.get("label").asText() + " | " + simple(o.get("javaType").asText())
                         + " | " + cell(o.path("defaultValue").asText("")) + " | " + cell(description) + " |");
            }
        });
        assertTableIs("| option | group | type | default | description |", rows, "options.md");
    }

    @Test
    void headerTableIsTheCatalog() throws IOException {
        List<String> rows = new ArrayList<>();
        catalog().get("headers").fields().forEachRemaining(e -> rows.add(
                "| `" + e.getKey() + "` | " + cell(e.getValue().get("description").asText()) + " |"));
        assertTableIs("| header | description |", rows, "headers.md");
    }

    @Test
    void everyRouteTemplateParameterIsInTheReadme() throws Exception {
        String readme = Files.readString(README);
        StringBuilder expected = new StringBuilder();
        List<String> problems = new ArrayList<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new SandaiBridgeTemplates());
            List<RouteTemplateDefinition> templates = context.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteTemplateDefinitions();
            assertEquals(5, templates.size(), "templates");
            for (RouteTemplateDefinition template : templates) {
                List<String> rows = new ArrayList<>();
                for (RouteTemplateParameterDefinition p : template.getTemplateParameters()) {
                    String fallback = p.getDefaultValue() != null ? "`" + p.getDefaultValue() + "`"
                            : p.isRequired() ? "required" : "optional";
                    rows.add("| `" + p.getName() + "` | " + cell(fallback) + " | " + cell(p.getDescription()) + " |");
                }
                String heading = "#### `" + template.getId() + "`";
                String table = heading + "\n\n| parameter | default | description |\n|---|---|---|\n"
                               + String.join("\n", rows) + "\n";
                expected.append(table).append('\n');
                if (!readme.contains(table)) {
                    problems.add(template.getId());
                }
            }
        }
        write("templates.md", expected.toString());
        assertTrue(problems.isEmpty(), "README template tables differ from the definitions for " + problems
                                       + "; expected tables in " + EXPECTED.resolve("templates.md").toAbsolutePath());
    }

    @Test
    void everyDurationOptionIsTextReadByDurations() throws IOException {
        // A java.time.Duration option would be converted by Camel, which reads a bare number as milliseconds.
        List<String> problems = new ArrayList<>();
        for (String section : List.of("componentProperties", "properties")) {
            catalog().get(section).fields().forEachRemaining(e -> {
                JsonNode o = e.getValue();
                if ("duration".equals(o.path("type").asText()) || o.path("javaType").asText().contains("Duration")) {
                    problems.add(section + "." + e.getKey() + " is a Duration option: make it a String read by Durations");
                }
                if (e.getKey().matches(".*(Timeout|Ttl|Expires|Interval|Delay)$")
                    && !o.path("description").asText().endsWith(SandaiConfiguration.DURATION_RULE)) {
                    problems.add(section + "." + e.getKey() + " does not state the duration rule");
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theReadmeStatesTheDurationRule() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("sandai:video-clipper:v1?priority=high&timeout=30`\n(30 seconds)"), "the project's URI");
        assertTrue(readme.contains("**a bare number is seconds**"), "the rule");
        assertFalse(readme.contains("number of milliseconds"), "no surface reads milliseconds any more");
    }

    private static void assertTableIs(String header, List<String> rows, String file) throws IOException {
        String readme = Files.readString(README);
        int at = readme.indexOf(header + "\n");
        assertTrue(at >= 0, header);
        List<String> actual = new ArrayList<>();
        for (String line : readme.substring(at).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            actual.add(line);
        }
        List<String> documented = actual.subList(2, actual.size());
        if (!documented.equals(rows)) {
            write(file, String.join("\n", actual.subList(0, 2)) + "\n" + String.join("\n", rows) + "\n");
        }
        assertEquals(rows, documented, "README table under '" + header + "'; expected Markdown in "
                                       + EXPECTED.resolve(file).toAbsolutePath());
    }

    private static JsonNode catalog() throws IOException {
        try (InputStream in = DocumentedOptionsTest.class.getClassLoader()
                .getResourceAsStream("META-INF/io/camelsandai/component/sandai.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static void write(String file, String text) throws IOException {
        Files.createDirectories(EXPECTED);
        Files.writeString(EXPECTED.resolve(file), text, StandardCharsets.UTF_8);
    }

    private static String simple(String javaType) {
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    private static String cell(String text) {
        // Pipes would end the cell; \< keeps Markdown from taking <skill> for an HTML tag.
        return text == null ? "" : text.replace("|", "\\|").replace("<", "\\<");
    }
}
