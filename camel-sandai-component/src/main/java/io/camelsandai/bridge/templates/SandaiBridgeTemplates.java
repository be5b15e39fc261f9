package io.camelsandai.bridge.templates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.bridge.avtomatika.AvtomatikaConfig;
import io.camelsandai.bridge.avtomatika.AvtomatikaWorker;
import io.camelsandai.bridge.avtomatika.OrchestratorTls;
import io.camelsandai.bridge.gyoza.GyozaConfig;
import io.camelsandai.bridge.gyoza.GyozaWorker;
import io.camelsandai.bridge.runqy.PendingSinceUnit;
import io.camelsandai.bridge.runqy.RunqyBackedHandler;
import io.camelsandai.bridge.runqy.RunqyClient;
import io.camelsandai.bridge.runqy.RunqyHandlerMode;
import io.camelsandai.bridge.runqy.RunqyHandlerSettings;
import io.camelsandai.bridge.runqy.RunqyToSandaiWorker;
import io.camelsandai.bridge.runqy.RunqyWorkerSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Route templates that join runqy, Avtomatika and gyoza to Sandai operators with configuration only. Add them with
 * {@code context.addRoutes(new SandaiBridgeTemplates())}, then create routes with
 * {@code TemplatedRouteBuilder.builder(context, "<id>").parameter(...).routeId(...).add()} or YAML
 * {@code templatedRoutes}.
 *
 * <p>Two shapes:
 * <ul>
 * <li>Serving ({@value #RUNQY_HANDLER}, {@value #SANDAI_TO_RUNQY}): {@code from("sandai:<operator>:<version>?...")}
 *     then an asynchronous step that runs the task ({@link OperatorHandlerProcessor}) and answers the
 *     {@link OperatorResult}.</li>
 * <li>Bridging ({@value #RUNQY_TO_SANDAI}, {@value #AVTOMATIKA_WORKER}, {@value #GYOZA_WORKER}):
 *     {@code from("direct:<generated>").process(worker).to[D]("sandai:...")}. The worker step
 *     ({@link RouteBoundWorker}) owns the external worker and starts/stops it with the route; the worker runs each
 *     task by sending it into the route's own {@code direct:} input ({@link SandaiRouteCaller}), so every call goes
 *     through the {@code sandai:} producer. Route errors are not logged by an error handler: each failure is an
 *     outcome reported to the external system.</li>
 * </ul>
 * Durations accept {@code 300} (seconds), {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code PT5M}.
 * Parameter {@code sandaiOptions} is appended to the {@code sandai:} endpoint URI as is, so it starts with
 * {@code &}, e.g. {@code &timeout=60s&autoForgetResult=true}. Runtime needs camel-direct and the simple language (camel-core-languages),
 * both part of camel-core / camel-main.
 */
public class SandaiBridgeTemplates extends RouteBuilder {
    public static final String RUNQY_HANDLER = "sandai-runqy-handler";
    public static final String RUNQY_TO_SANDAI = "runqy-to-sandai";
    public static final String SANDAI_TO_RUNQY = "sandai-to-runqy";
    public static final String AVTOMATIKA_WORKER = "avtomatika-worker";
    public static final String GYOZA_WORKER = "gyoza-worker";

    static final String DEFAULT_BROKER = "redis://localhost:6379/0";
    /**
     * Redis Sentinel options of every sandai: URI the templates build; empty parameters leave them unset (then the
     * SANDAI_OPERATOR_BROKER_MASTER_NAME / _SENTINEL_PASSWORD environment variables apply).
     */
    static final String SENTINEL_OPTIONS = "&sentinelMasterName={{sentinelMasterName:}}"
                                           + "&sentinelPassword=RAW({{sentinelPassword:}})";
    private static final String DYNAMIC_SANDAI = "sandai:${exchangeProperty." + SandaiRouteCaller.OPERATOR_NAME
                                                 + "}:${exchangeProperty." + SandaiRouteCaller.OPERATOR_VERSION
                                                 + "}?brokerUrl={{brokerUrl}}" + SENTINEL_OPTIONS + "{{sandaiOptions:}}";

    static final String BROKER_URL_HELP = "Redis URL of the Sandai broker: redis://, rediss:// or "
                                          + "sentinel://h1:26379;sentinel://h2:26379 (with sentinelMasterName)";
    static final String SENTINEL_MASTER_HELP = "Redis Sentinel master name, for a sentinel:// brokerUrl (kombu's "
                                               + "master_name transport option)";
    static final String SENTINEL_PASSWORD_HELP = "Password of the Redis sentinels themselves (kombu's sentinel_kwargs "
                                                 + "password)";

    @Override
    public void configure() {
        runqyHandler();
        runqyToSandai();
        sandaiToRunqy();
        avtomatikaWorker();
        gyozaWorker();
    }

    /** The bridge route's own input; the worker step computes the same name from the parameters. */
    static final String RUNQY_TO_SANDAI_INPUT = "direct:runqy-to-sandai-{{operatorName}}-{{operatorVersion}}-{{queues}}";
    static final String AVTOMATIKA_INPUT = "direct:avtomatika-worker-{{workerId:default}}";
    static final String GYOZA_INPUT = "direct:gyoza-worker-{{workerId}}";

    // ---- 1. a runqy handler process as a Sandai operator ------------------------------------------------------------

    private void runqyHandler() {
        routeTemplate(RUNQY_HANDLER)
                .templateParameter("operatorName", null, "Operator name served")
                .templateParameter("operatorVersion", null, "Operator version served")
                .templateParameter("command", null, "Handler command line, e.g. /usr/bin/python3 handler.py")
                .templateOptionalParameter("workingDir", "Working directory of the handler processes")
                .templateParameter("processes", "1", "Handler processes (and tasks run at once)")
                .templateParameter("mode", "long-running", "long-running or one-shot")
                .templateParameter("startupTimeout", "300s", "How long a process may take to say ready")
                .templateParameter("taskTimeout", "30m", "How long one task may take")
                .templateParameter("maxRestarts", "5", "Restarts of a crashed process per cooldown window")
                .templateParameter("restartCooldown", "60s", "Window of maxRestarts, and the wait after it")
                .templateParameter("restartBackoff", "1s", "First wait before restarting a crashed process")
                .templateOptionalParameter("workRoot", "Per-task work directories are made below it")
                .templateParameter("brokerUrl", DEFAULT_BROKER, BROKER_URL_HELP)
                .templateOptionalParameter("sentinelMasterName", SENTINEL_MASTER_HELP)
                .templateOptionalParameter("sentinelPassword", SENTINEL_PASSWORD_HELP)
                .templateOptionalParameter("sandaiOptions", "More sandai: consumer options appended to the URI, e.g. &timeout=60s")
                .templateBean("runqyHandler", RunqyHandlerProcessor.class,
                        rtc -> new RunqyHandlerProcessor(handlerSettings(new TemplateParams(RUNQY_HANDLER, rtc))))
                .from("sandai:{{operatorName}}:{{operatorVersion}}?brokerUrl={{brokerUrl}}" + SENTINEL_OPTIONS
                      + "&concurrency={{processes}}{{sandaiOptions:}}")
                .process("{{runqyHandler}}");
    }

    static RunqyHandlerSettings handlerSettings(TemplateParams p) {
        RunqyHandlerSettings.Builder b = RunqyHandlerSettings.builder(p.required("command"))
                .name(p.required("operatorName") + ":" + p.required("operatorVersion"))
                .processes(p.integer("processes", 1))
                .mode(RunqyHandlerMode.parse(p.text("mode") == null ? "long-running" : p.text("mode")))
                .maxRestarts(p.integer("maxRestarts", 5));
        if (p.text("workingDir") != null) {
            b.workingDir(Path.of(p.text("workingDir")));
        }
        if (p.text("workRoot") != null) {
            b.workRoot(Path.of(p.text("workRoot")));
        }
        setIfPresent(p.duration("startupTimeout"), b::startupTimeout);
        setIfPresent(p.duration("taskTimeout"), b::taskTimeout);
        setIfPresent(p.duration("restartCooldown"), b::restartCooldown);
        setIfPresent(p.duration("restartBackoff"), b::restartBackoff);
        return b.build();
    }

    // ---- 2. runqy queues to a Sandai operator -----------------------------------------------------------------------

    private void runqyToSandai() {
        routeTemplate(RUNQY_TO_SANDAI)
                .templateOptionalParameter("runqyRedisUrl", "Redis URL of the runqy deployment (asynq keys); "
                                                            + "or give runqyServerUrl")
                .templateOptionalParameter("runqyServerUrl", "runqy server to get the Redis and sub-queues from "
                                                             + "(POST /worker/register), instead of runqyRedisUrl")
                .templateOptionalParameter("runqyWorkerKey", "Worker (or admin) API key for runqyServerUrl")
                .templateParameter("queues", null, "runqy queues, comma separated (with runqyRedisUrl: inference = "
                                                   + "inference.default; with runqyServerUrl: inference = all its "
                                                   + "sub-queues, inference.high = only that one)")
                .templateParameter("operatorName", null, "Operator that runs the tasks")
                .templateParameter("operatorVersion", null, "Its version")
                .templateParameter("priority", "normal", "Sandai queue priority")
                .templateParameter("concurrency", "1", "Tasks in flight at once")
                .templateParameter("pendingSinceUnit", "nanoseconds", "Unit written to pending_since")
                .templateParameter("brokerUrl", DEFAULT_BROKER, BROKER_URL_HELP)
                .templateOptionalParameter("sentinelMasterName", SENTINEL_MASTER_HELP)
                .templateOptionalParameter("sentinelPassword", SENTINEL_PASSWORD_HELP)
                .templateOptionalParameter("lease", "Task lease (default 2m)")
                .templateOptionalParameter("pollInterval", "Pause when every queue is empty (default 1s)")
                .templateOptionalParameter("maintenanceInterval", "Retry/lease recovery sweep (default 5s)")
                .templateOptionalParameter("defaultTaskTimeout", "For tasks without a timeout (default 30m)")
                .templateOptionalParameter("storeResult", "Keep the result in the task hash (default true, or the "
                                                          + "server's redis_storage with runqyServerUrl)")
                .templateOptionalParameter("shutdownTimeout", "How long in-flight tasks may finish on stop (default 30s)")
                .templateOptionalParameter("sandaiOptions", "More sandai: producer options appended to the URI, e.g. &timeout=60s")
                .templateBean("bridgeWorker", RouteBoundWorker.class, rtc -> runqyWorker(rtc))
                .from(RUNQY_TO_SANDAI_INPUT)
                .errorHandler(noErrorHandler())
                .process("{{bridgeWorker}}")
                .to("sandai:{{operatorName}}:{{operatorVersion}}?brokerUrl={{brokerUrl}}" + SENTINEL_OPTIONS
                    + "&priority={{priority}}{{sandaiOptions:}}");
    }

    private static RouteBoundWorker runqyWorker(RouteTemplateContext rtc) {
        TemplateParams p = new TemplateParams(RUNQY_TO_SANDAI, rtc);
        RunqyWorkerSettings.Builder b = runqySource(p)
                .queues(p.list("queues"))
                .priority(Priority.parse(p.text("priority") == null ? "normal" : p.text("priority")))
                .concurrency(p.integer("concurrency", 1))
                .pendingSinceUnit(PendingSinceUnit.parse(p.text("pendingSinceUnit") == null ? "nanoseconds"
                        : p.text("pendingSinceUnit")));
        if (p.text("storeResult") != null) {
            b.storeResult(p.bool("storeResult", true));
        }
        setIfPresent(p.duration("lease"), b::lease);
        setIfPresent(p.duration("pollInterval"), b::pollInterval);
        setIfPresent(p.duration("maintenanceInterval"), b::maintenanceInterval);
        setIfPresent(p.duration("defaultTaskTimeout"), b::defaultTaskTimeout);
        setIfPresent(p.duration("shutdownTimeout"), b::shutdownTimeout);
        RunqyWorkerSettings settings = b.build();
        return new RouteBoundWorker(RUNQY_TO_SANDAI, "direct:runqy-to-sandai-"
                + p.required("operatorName") + "-" + p.required("operatorVersion") + "-" + p.required("queues"), caller -> {
            RunqyToSandaiWorker worker = new RunqyToSandaiWorker(settings,
                    (request, options) -> caller.call(null, request, options));
            return worker(worker::start, worker::close, worker::isLoopAlive);
        });
    }

    /** Exactly one of runqyRedisUrl (a Redis URL) and runqyServerUrl (the worker handshake). */
    private static RunqyWorkerSettings.Builder runqySource(TemplateParams p) {
        String redis = p.text("runqyRedisUrl");
        String server = p.text("runqyServerUrl");
        if ((redis == null) == (server == null)) {
            throw new IllegalArgumentException(RUNQY_TO_SANDAI + ": give exactly one of the parameters runqyRedisUrl "
                                               + "and runqyServerUrl");
        }
        return redis != null
                ? RunqyWorkerSettings.builder(redis, p.required("operatorName"), p.required("operatorVersion"))
                : RunqyWorkerSettings.fromServer(server, p.text("runqyWorkerKey"), p.required("operatorName"),
                        p.required("operatorVersion"));
    }

    // ---- 3. a Sandai operator backed by a runqy server --------------------------------------------------------------

    private void sandaiToRunqy() {
        routeTemplate(SANDAI_TO_RUNQY)
                .templateParameter("operatorName", null, "Operator name served")
                .templateParameter("operatorVersion", null, "Operator version served")
                .templateParameter("runqyUrl", null, "Base URL of the runqy server")
                .templateParameter("runqyQueue", null, "runqy queue the tasks go to")
                .templateOptionalParameter("apiKey", "runqy client API key")
                .templateParameter("auth", "bearer", "bearer or x-api-key")
                .templateParameter("taskTimeout", "300s", "runqy timeout of each task")
                .templateOptionalParameter("resultTimeout", "How long to wait for a final state (default taskTimeout + 60s)")
                .templateParameter("pollInterval", "1s", "Pause between polls when the server does not wait")
                .templateParameter("concurrency", "4", "Tasks in flight at once")
                .templateParameter("brokerUrl", DEFAULT_BROKER, BROKER_URL_HELP)
                .templateOptionalParameter("sentinelMasterName", SENTINEL_MASTER_HELP)
                .templateOptionalParameter("sentinelPassword", SENTINEL_PASSWORD_HELP)
                .templateOptionalParameter("sandaiOptions", "More sandai: consumer options appended to the URI, e.g. &timeout=60s")
                .templateBean("runqyBackedHandler", OperatorHandlerProcessor.class, rtc -> runqyBacked(rtc))
                .from("sandai:{{operatorName}}:{{operatorVersion}}?brokerUrl={{brokerUrl}}" + SENTINEL_OPTIONS
                      + "&concurrency={{concurrency}}{{sandaiOptions:}}")
                .process("{{runqyBackedHandler}}");
    }

    private static OperatorHandlerProcessor runqyBacked(RouteTemplateContext rtc) {
        TemplateParams p = new TemplateParams(SANDAI_TO_RUNQY, rtc);
        String auth = p.text("auth") == null ? "bearer" : p.text("auth").toLowerCase(Locale.ROOT);
        RunqyClient.Auth mode = switch (auth) {
            case "bearer" -> RunqyClient.Auth.BEARER;
            case "x-api-key", "x_api_key", "apikey" -> RunqyClient.Auth.X_API_KEY;
            default -> throw new IllegalArgumentException(SANDAI_TO_RUNQY + ": parameter auth must be bearer or "
                                                          + "x-api-key, got '" + p.text("auth") + "'");
        };
        Duration taskTimeout = orDefault(p.duration("taskTimeout"), RunqyClient.DEFAULT_TASK_TIMEOUT);
        Duration resultTimeout = orDefault(p.duration("resultTimeout"), taskTimeout.plusSeconds(60));
        RunqyClient client = new RunqyClient(p.required("runqyUrl"), p.text("apiKey"), mode,
                RunqyClient.DEFAULT_REQUEST_TIMEOUT);
        return new OperatorHandlerProcessor(new RunqyBackedHandler(client, p.required("runqyQueue"), taskTimeout,
                resultTimeout, orDefault(p.duration("pollInterval"), Duration.ofSeconds(1))));
    }

    // ---- 4. an Avtomatika worker backed by Sandai operators ---------------------------------------------------------

    private void avtomatikaWorker() {
        routeTemplate(AVTOMATIKA_WORKER)
                .templateOptionalParameter("orchestratorUrl", "Orchestrator URL (else ORCHESTRATOR_URL)")
                .templateOptionalParameter("orchestratorsConfig", "JSON list [{\"url\",\"weight\"}] like ORCHESTRATORS_CONFIG")
                .templateOptionalParameter("multiOrchestratorMode", "FAILOVER or ROUND_ROBIN")
                .templateOptionalParameter("workerId", "Worker id (else WORKER_ID)")
                .templateOptionalParameter("workerToken", "Worker token (else WORKER_TOKEN)")
                .templateParameter("workerType", "generic", "Worker type")
                .templateParameter("maxConcurrentTasks", "4", "Tasks in flight at once")
                .templateOptionalParameter("skills", "Skill mapping as properties: <skill>.operator=..., <skill>.version=...")
                .templateOptionalParameter("skillsBean", "Name of a Map/Properties bean with the skill mapping")
                .templateParameter("websockets", "false", "Accept commands (cancel_task) over WebSocket")
                .templateOptionalParameter("heartbeatInterval", "Heartbeat interval")
                .templateOptionalParameter("pollTimeout", "Long-poll hold of the orchestrator (default 30s)")
                .templateOptionalParameter("shutdownTimeout", "How long in-flight tasks may finish on stop")
                .templateOptionalParameter("s3Endpoint", "S3 endpoint for the payload convention's size/ETag checks and "
                                                         + "data_metadata (unset: no S3 payload checks)")
                .templateOptionalParameter("s3Region", "S3 region")
                .templateParameter("s3PathStyle", "false", "Path-style S3 addressing (S3Proxy, MinIO)")
                .templateOptionalParameter("s3AccessKey", "S3 access key (else the AWS SDK's default chain)")
                .templateOptionalParameter("s3SecretKey", "S3 secret key")
                .templateOptionalParameter("s3DefaultBucket", "S3_DEFAULT_BUCKET, for capabilities.s3_config_hash")
                .templateOptionalParameter("tlsCaPath", "PEM of the CA that signed the orchestrator's certificate (else TLS_CA_PATH)")
                .templateOptionalParameter("tlsCertPath", "mTLS client certificate PEM, CN = worker id (else TLS_CERT_PATH)")
                .templateOptionalParameter("tlsKeyPath", "mTLS client key PEM, unencrypted (else TLS_KEY_PATH)")
                .templateOptionalParameter("tlsTrustStore", "PKCS12/JKS truststore instead of tlsCaPath")
                .templateOptionalParameter("tlsTrustStorePassword", "Truststore password")
                .templateOptionalParameter("tlsKeyStore", "PKCS12/JKS keystore with the mTLS client key instead of PEM files")
                .templateOptionalParameter("tlsKeyStorePassword", "Keystore (and key) password")
                .templateParameter("brokerUrl", DEFAULT_BROKER, BROKER_URL_HELP)
                .templateOptionalParameter("sentinelMasterName", SENTINEL_MASTER_HELP)
                .templateOptionalParameter("sentinelPassword", SENTINEL_PASSWORD_HELP)
                .templateOptionalParameter("sandaiOptions", "More sandai: producer options appended to the URI, e.g. &timeout=60s")
                .templateBean("bridgeWorker", RouteBoundWorker.class, rtc -> avtomatika(rtc))
                .from(AVTOMATIKA_INPUT)
                .errorHandler(noErrorHandler())
                .process("{{bridgeWorker}}")
                .toD(DYNAMIC_SANDAI);
    }

    private static RouteBoundWorker avtomatika(RouteTemplateContext rtc) {
        TemplateParams p = new TemplateParams(AVTOMATIKA_WORKER, rtc);
        AvtomatikaConfig.Builder b = AvtomatikaConfig.builder().fromEnvironment(System::getenv);
        if (p.text("orchestratorsConfig") != null) {
            b.clearOrchestrators().orchestratorsJson(p.text("orchestratorsConfig"));
        } else if (p.text("orchestratorUrl") != null) {
            b.clearOrchestrators().orchestrator(p.text("orchestratorUrl"));
        }
        if (p.text("multiOrchestratorMode") != null) {
            b.mode(AvtomatikaConfig.Mode.valueOf(p.text("multiOrchestratorMode").toUpperCase(Locale.ROOT)));
        }
        if (p.text("workerId") != null) {
            b.workerId(p.text("workerId"));
        }
        if (p.text("workerToken") != null) {
            b.token(p.text("workerToken"));
        }
        if (p.text("workerType") != null) {
            b.workerType(p.text("workerType"));
        }
        b.maxConcurrentTasks(p.integer("maxConcurrentTasks", 4)).websockets(p.bool("websockets", false));
        setIfPresent(p.duration("heartbeatInterval"), b::heartbeatInterval);
        setIfPresent(p.duration("pollTimeout"), b::pollTimeout);
        setIfPresent(p.duration("shutdownTimeout"), b::shutdownTimeout);
        b.skillsFromProperties(p.mapping("skills", "skillsBean", "skills"), "skills");
        if (p.text("s3Endpoint") != null) {
            // S3 payload convention: params_metadata size/ETag checks and data_metadata of outputs
            ArtifactSettings.Builder s3 = ArtifactSettings.builder()
                    .s3Endpoint(URI.create(p.text("s3Endpoint"))).s3PathStyle(p.bool("s3PathStyle", false));
            if (p.text("s3Region") != null) {
                s3.s3Region(p.text("s3Region"));
            }
            if (p.text("s3AccessKey") != null) {
                s3.s3Credentials(p.text("s3AccessKey"), p.text("s3SecretKey"));
            }
            b.artifactSettings(s3.build());
        }
        if (p.text("s3DefaultBucket") != null) {
            b.s3DefaultBucket(p.text("s3DefaultBucket"));
        }
        b.tls(orchestratorTls(p, OrchestratorTls.fromEnvironment(System::getenv)));
        AvtomatikaConfig config = b.build();
        if (config.skills().isEmpty()) {
            throw new IllegalArgumentException(AVTOMATIKA_WORKER + ": no skill mapped (parameter skills or skillsBean)");
        }
        return new RouteBoundWorker(AVTOMATIKA_WORKER, "direct:avtomatika-worker-"
                + (p.text("workerId") == null ? "default" : p.text("workerId")), caller -> {
            AvtomatikaWorker worker = new AvtomatikaWorker(config, new RouteOperatorInvoker(caller));
            return worker(worker::start, worker::stop, worker::isRunning);
        });
    }

    /** Template TLS parameters over the environment's (TLS_CA_PATH, TLS_CERT_PATH, TLS_KEY_PATH). */
    private static OrchestratorTls orchestratorTls(TemplateParams p, OrchestratorTls fromEnvironment) {
        OrchestratorTls tls = fromEnvironment;
        if (p.text("tlsCaPath") != null || p.text("tlsTrustStore") != null) {
            tls = tls.withTrust(path(p.text("tlsCaPath")), path(p.text("tlsTrustStore")), p.text("tlsTrustStorePassword"));
        }
        if (p.text("tlsCertPath") != null || p.text("tlsKeyPath") != null || p.text("tlsKeyStore") != null) {
            tls = tls.withClientCertificate(path(p.text("tlsCertPath")), path(p.text("tlsKeyPath")),
                    path(p.text("tlsKeyStore")), p.text("tlsKeyStorePassword"));
        }
        return tls;
    }

    private static Path path(String v) {
        return v == null ? null : Path.of(v);
    }

    // ---- 5. a gyoza worker backed by Sandai operators ---------------------------------------------------------------

    private void gyozaWorker() {
        routeTemplate(GYOZA_WORKER)
                .templateParameter("baseUrl", null, "gyoza server URL, e.g. http://gyoza:5555")
                .templateOptionalParameter("apiKey", "Sent as X-API-Key")
                .templateParameter("workerId", null, "Worker id")
                .templateParameter("concurrency", "4", "Runs in flight at once")
                .templateOptionalParameter("ops", "Op mapping as properties: <op>.operator=..., <op>.version=..., "
                                                  + "<op>.definition/definition-version/image=...")
                .templateOptionalParameter("opsBean", "Name of a Map/Properties bean with the op mapping")
                .templateOptionalParameter("tags", "Worker tags, comma separated")
                .templateOptionalParameter("resources", "Heartbeat resources as JSON: {\"cpu_cores\": 8, \"ram_mb\": 32768, "
                                                        + "\"gpus\": [{\"id\": 0, \"vram_mb\": 24576, \"tags\": []}]}")
                .templateOptionalParameter("claimInterval", "Wait between empty claims (default 1s)")
                .templateOptionalParameter("requestTimeout", "Per-request timeout (default 30s)")
                .templateOptionalParameter("heartbeatInterval", "Heartbeat interval")
                .templateOptionalParameter("shutdownTimeout", "How long in-flight runs may finish on stop")
                .templateParameter("brokerUrl", DEFAULT_BROKER, BROKER_URL_HELP)
                .templateOptionalParameter("sentinelMasterName", SENTINEL_MASTER_HELP)
                .templateOptionalParameter("sentinelPassword", SENTINEL_PASSWORD_HELP)
                .templateOptionalParameter("sandaiOptions", "More sandai: producer options appended to the URI, e.g. &timeout=60s")
                .templateBean("bridgeWorker", RouteBoundWorker.class, rtc -> gyoza(rtc))
                .from(GYOZA_INPUT)
                .errorHandler(noErrorHandler())
                .process("{{bridgeWorker}}")
                .toD(DYNAMIC_SANDAI);
    }

    private static RouteBoundWorker gyoza(RouteTemplateContext rtc) {
        TemplateParams p = new TemplateParams(GYOZA_WORKER, rtc);
        GyozaConfig.Builder b = GyozaConfig.builder().baseUrl(p.required("baseUrl")).workerId(p.required("workerId"))
                .maxConcurrentTasks(p.integer("concurrency", 4));
        if (p.text("apiKey") != null) {
            b.apiKey(p.text("apiKey"));
        }
        p.list("tags").forEach(b::tag);
        if (p.text("resources") != null) {
            try {
                b.resourcesJson(p.text("resources"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(GYOZA_WORKER + ": parameter resources: " + e.getMessage(), e);
            }
        }
        setIfPresent(p.duration("claimInterval"), b::claimInterval);
        setIfPresent(p.duration("requestTimeout"), b::requestTimeout);
        setIfPresent(p.duration("heartbeatInterval"), b::heartbeatInterval);
        setIfPresent(p.duration("shutdownTimeout"), b::shutdownTimeout);
        b.opsFromProperties(p.mapping("ops", "opsBean", "ops"), "ops");
        GyozaConfig config = b.build();
        if (config.ops().isEmpty()) {
            throw new IllegalArgumentException(GYOZA_WORKER + ": no op mapped (parameter ops or opsBean)");
        }
        return new RouteBoundWorker(GYOZA_WORKER, "direct:gyoza-worker-" + p.required("workerId"), caller -> {
            GyozaWorker worker = new GyozaWorker(config, new RouteOperatorInvoker(caller));
            return worker(worker::start, worker::stop, worker::isRunning);
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static RouteBoundWorker.Worker worker(Runnable start, Runnable stop, BooleanSupplier running) {
        return new RouteBoundWorker.Worker() {
            @Override
            public void start() {
                start.run();
            }

            @Override
            public void stop() {
                stop.run();
            }

            @Override
            public boolean isRunning() {
                return running.getAsBoolean();
            }
        };
    }

    private static <T> void setIfPresent(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
