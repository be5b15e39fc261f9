package io.camelsandai.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import io.camelsandai.component.SandaiConstants;

/**
 * Artifacts from S3, both sides, with operator {@code upper-caser} {@code v1}:
 * <ul>
 * <li>The operator route ({@code stageArtifacts=true}): the component downloads the task's input artifact (slot
 * {@code text}) into a per-task work dir before the route runs; the route writes an upper-case copy and declares it in
 * header {@code CamelSandaiOutputs} (slot {@code upper}); the component uploads it below {@code outputUri} and answers
 * it as an artifact with size and sha256. The work dir is removed afterwards.</li>
 * <li>The caller route {@code direct:upper-case-file}: a local file in; {@code uploadInputs=true} puts it below
 * {@code stagingUri} so the task carries an s3:// URI; {@code downloadOutputs} fetches the output (size and sha256
 * checked); the reply is the local path of the upper-case copy.</li>
 * </ul>
 * Properties: {@code sandai.broker-url}, {@code sandai.output-uri} and {@code sandai.staging-uri} (e.g.
 * {@code s3://my-bucket/outputs}), {@code sandai.download-dir}, and the S3 options {@code sandai.s3.endpoint},
 * {@code sandai.s3.access-key}, {@code sandai.s3.secret-key}. On AWS itself, leave s3Endpoint, s3PathStyle and the keys
 * out: the AWS SDK's default region and credentials chain apply.
 */
public class S3ArtifactRoutes extends RouteBuilder {
    static final String S3_OPTIONS = "&s3Endpoint={{sandai.s3.endpoint}}&s3PathStyle=true&s3Region=us-east-1"
                                     + "&s3AccessKey=RAW({{sandai.s3.access-key}})"
                                     + "&s3SecretKey=RAW({{sandai.s3.secret-key}})";

    @Override
    public void configure() {
        from("sandai:upper-caser:v1?brokerUrl={{sandai.broker-url}}&inputSlots=text&outputSlots=upper"
             + "&stageArtifacts=true&outputUri={{sandai.output-uri}}" + S3_OPTIONS)
                .routeId("upper-caser")
                .process(S3ArtifactRoutes::upperCase);

        from("direct:upper-case-file").routeId("upper-case-file")
                .setBody(exchange -> Map.of("input_artifacts", List.of(Map.of(
                        "uri", exchange.getMessage().getBody(Path.class).toUri().toString(), "slot", "text"))))
                .to("sandai:upper-caser:v1?brokerUrl={{sandai.broker-url}}&timeout=60s"
                    + "&uploadInputs=true&stagingUri={{sandai.staging-uri}}"
                    + "&downloadOutputs={{sandai.download-dir}}" + S3_OPTIONS)
                // CamelSandaiLocalPaths: slot -> where downloadOutputs put the first file of that slot.
                .setBody(simple("${header." + SandaiConstants.LOCAL_PATHS + "[upper]}"));
    }

    /** The operator's work, on local files only: staging did the S3 part. */
    static void upperCase(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Path> inputs = exchange.getMessage().getHeader(SandaiConstants.LOCAL_PATHS, Map.class);
        Path input = inputs.get("text");
        String text = Files.readString(input, StandardCharsets.UTF_8);
        Path output = input.resolveSibling("upper.txt");
        Files.writeString(output, text.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8);
        exchange.getMessage().setHeader(SandaiConstants.OUTPUTS, Map.of("upper", output));
        exchange.getMessage().setBody(Map.of("results", Map.of("lines", text.lines().count())));
    }
}
