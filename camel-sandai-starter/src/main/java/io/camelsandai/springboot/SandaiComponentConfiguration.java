package io.camelsandai.springboot;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.camelsandai.component.SandaiConfiguration;
import io.camelsandai.component.SandaiOperation;

/**
 * {@code camel.component.sandai.*}: every option of the {@code sandai} component, in the shape camel-spring-boot's
 * generator gives Camel's own starters (that generator is not published to Maven Central, so this class is written
 * from the component catalog, {@code META-INF/io/camelsandai/component/sandai.json}, in catalog order).
 * {@code SandaiStarterCatalogTest} fails when the two differ in any option, type, default or description, and its
 * failure message prints the field to add. A property left unset stays null and is not copied, so the component
 * keeps its default and its {@code SANDAI_OPERATOR_*} environment fallback; that is why only options whose default
 * the component itself holds have an initializer here. Durations are text: a bare number is seconds.
 */
@ConfigurationProperties(prefix = "camel.component.sandai")
public class SandaiComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Whether to enable auto configuration of the sandai component. This is enabled by default.
     */
    private Boolean enabled;
    /**
     * Broker Redis URL: redis://host:port/db, with an optional user:password (AUTH or ACL user) before the host, or
     * rediss:// for TLS, or Redis Sentinel as kombu writes it: sentinel://host:26379;sentinel://host2:26379/db, one
     * part per sentinel, the master's password written as in a redis:// URL (the password and db of the first part are
     * the master's; set sentinelMasterName). User and password are percent-decoded as redis-py does (a plus sign stays
     * a plus sign). Unset: SANDAI_OPERATOR_CELERY_BROKER_URL, else the default. The password is masked wherever the
     * endpoint URI is shown; prefer a property placeholder for it.
     */
    private String brokerUrl;
    /**
     * Component-level defaults of every endpoint option
     */
    private SandaiConfiguration configuration;
    /**
     * Result backend Redis URL, or rpc:// with an amqp:// broker (results come back as messages to the client's
     * RabbitMQ reply queue, as with Celery's RPC backend; nothing is stored and cancel keys are not available). Unset:
     * SANDAI_OPERATOR_CELERY_RESULT_BACKEND, else the broker URL.
     */
    private String resultBackendUrl;
    /**
     * Serializer of the results the consumer writes (results are read in either). Unset:
     * SANDAI_OPERATOR_CELERY_RESULT_SERIALIZER, else json.
     */
    private String resultSerializer;
    /**
     * Serializer of the task messages this endpoint sends. Unset: SANDAI_OPERATOR_CELERY_TASK_SERIALIZER, else msgpack.
     * Alias: serializer.
     */
    private String taskSerializer;
    /**
     * Acknowledge a task after its result is written (true), or on receipt like Celery's default (false).
     */
    private Boolean acksLate = true;
    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed as a
     * message and handled by the routing Error Handler. Important: This is only possible if the 3rd party component
     * allows Camel to be alerted if an exception was thrown. Some components handle this internally only, and therefore
     * bridgeErrorHandler is not possible. In other situations we may improve the Camel component to hook into the 3rd
     * party component and make this possible for future releases. By default the consumer will use the
     * org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at WARN or ERROR level and
     * ignored.
     */
    private Boolean bridgeErrorHandler = false;
    /**
     * Tasks run at once.
     */
    private Integer concurrency = 1;
    /**
     * Redis list that receives messages that cannot be run (malformed, oversize) with the reason.
     */
    private String deadLetterQueue = "sandai.dead-letter";
    /**
     * Human description returned by desc tasks.
     */
    private String description;
    /**
     * Input slot names returned by desc tasks, comma separated.
     */
    private String inputSlots;
    /**
     * Largest task message body accepted, in bytes (default 16 MiB); larger ones are dead-lettered.
     */
    private Integer maxMessageBytes = 16777216;
    /**
     * JSON schema of the options, returned by desc tasks: JSON text, or a resource such as
     * classpath:schemas/options.json.
     */
    private String optionsSchema;
    /**
     * Output slot names returned by desc tasks, comma separated.
     */
    private String outputSlots;
    /**
     * Most tasks taken from Redis and not yet finished; unset means the concurrency, so that a second worker on the
     * same queues gets the rest.
     */
    private Integer prefetch;
    /**
     * JSON schema of the results, returned by desc tasks: JSON text, or a resource such as
     * classpath:schemas/results.json.
     */
    private String resultsSchema;
    /**
     * On stop, how long in-flight tasks may finish; the unfinished ones are pushed back to the head of their queue. A
     * bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String shutdownTimeout = "30s";
    /**
     * Write a STARTED state before the route runs a task.
     */
    private Boolean trackStarted = false;
    /**
     * Tasks taken but not acknowledged for this long (e.g. after a crash) are put back on their queue by any worker,
     * Java or Python (kombu's visibility_timeout). A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String visibilityTimeout = "1h";
    /**
     * Delete each result from the result backend once it has been read. Unset: SANDAI_OPERATOR_AUTO_FORGET_RESULT, else
     * false.
     */
    private Boolean autoForgetResult;
    /**
     * Cancel key sent in meta.cancel_key (process, batch) or set by the cancel operation. Header CamelSandaiCancelKey
     * overrides it.
     */
    private String cancelKey;
    /**
     * How long a cancel key set by the cancel operation lives. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or
     * PT30S.
     */
    private String cancelTtl;
    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to allow
     * CamelContext and routes to startup in situations where a producer may otherwise fail during starting and cause
     * the route to fail being started. By deferring this startup to be lazy then the startup failure can be handled
     * during routing messages via Camel's routing error handlers. Beware that when the first message is processed then
     * creating and starting the producer may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer = false;
    /**
     * What the producer does: process (run the operator on the body; InOut waits for the result, InOnly only sends),
     * desc (the operator description), ping (true when the broker accepts a task), probe (send a description task and
     * report each step), cancel (set the cancel key), batch (a list of requests in, a list of per-input results out).
     * Header CamelSandaiOperation overrides it.
     */
    private SandaiOperation operation = SandaiOperation.process;
    /**
     * Ask the operator to write outputs below its persistent prefix. Header CamelSandaiPersistentOutput overrides it.
     */
    private Boolean persistentOutput = false;
    /**
     * Queue priority of the tasks sent. A bad value fails endpoint creation with InvalidPriorityException. Header
     * CamelSandaiPriority overrides it.
     */
    private String priority = "normal";
    /**
     * Task timeout: sent as meta.deadline (now plus the timeout), and the longest the producer waits for a result (then
     * TaskTimeoutException). Unset: no deadline and no wait limit (probe waits at most 30s). Header CamelSandaiTimeout
     * overrides it. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String timeout;
    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then gets
     * configured on the component. This can be used for automatic configuring JDBC data sources, JMS connection
     * factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled = true;
    /**
     * Most result backend reads at once (polling safety net of the shared result waiter). Unset:
     * SANDAI_OPERATOR_BACKEND_POLL_CONCURRENCY, else 4.
     */
    private Integer backendPollConcurrency;
    /**
     * Most pooled result backend connections per shared backend resource. Unset: SANDAI_OPERATOR_BACKEND_POOL_LIMIT,
     * else 8.
     */
    private Integer backendPoolLimit;
    /**
     * Most pooled broker connections per shared broker resource. Unset: SANDAI_OPERATOR_BROKER_POOL_LIMIT, else 8.
     */
    private Integer brokerPoolLimit;
    /**
     * Prefix of the Redis key a cancel key sets (the key is this prefix followed by the cancel key).
     */
    private String cancelKeyPrefix;
    /**
     * Redis connect and socket timeout. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String connectTimeout;
    /**
     * Celery task name of description tasks.
     */
    private String descTaskName;
    /**
     * How long to wait for a free pooled connection before failing with ClientPoolTimeoutException. Unset:
     * SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT, else 30s. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String poolAcquireTimeout;
    /**
     * How long results are kept in the result backend (Celery's result_expires; rounded down to whole seconds, at least
     * 1). A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String resultExpires;
    /**
     * Which endpoints share Redis pools and the result waiter: those of the same operator (operator) or all in the JVM
     * with the same settings (process). Unset: SANDAI_OPERATOR_SHARED_TRANSPORT_SCOPE, else operator.
     */
    private String sharedTransportScope;
    /**
     * Celery task name of process tasks.
     */
    private String taskName;
    /**
     * Comma-separated absolute directories that file:// artifacts may be read from or written to. Empty (the default):
     * every file:// artifact is refused, so a task from the network cannot read local files.
     */
    private String allowedRoots;
    /**
     * Downloads in flight at once.
     */
    private Integer downloadConcurrency = 4;
    /**
     * Download the result artifacts into this directory ({dir}/{slot}/{file}), verifying size and sha256; the reply's
     * artifacts then carry local paths next to their URIs.
     */
    private String downloadOutputs;
    /**
     * Keep a failed task's work dir for debugging; it is always removed otherwise.
     */
    private Boolean keepWorkDirOnFailure = false;
    /**
     * Where outputs are uploaded, e.g. s3://bucket/outputs; objects go to {outputUri}/{persistentPrefix or
     * temporaryPrefix}/{operator}/{version}/{taskId}/{slot}/{file}.
     */
    private String outputUri;
    /**
     * Prefix below outputUri for tasks whose meta.persistent-output is true.
     */
    private String persistentPrefix = "persistent";
    /**
     * S3 endpoint override for S3-compatible stores (MinIO, S3Proxy, ...); unset: AWS.
     */
    private String s3Endpoint;
    /**
     * Path-style S3 addressing (needed by most S3-compatible stores).
     */
    private Boolean s3PathStyle = false;
    /**
     * S3 region; unset: the AWS SDK's default chain, else us-east-1.
     */
    private String s3Region;
    /**
     * Download every input artifact into a per-task work dir before the route runs (the body's artifacts then carry
     * localPath, header CamelSandaiLocalPaths maps slot to path), and upload the outputs the route declares (artifacts
     * with a localPath in the reply, or header CamelSandaiOutputs slot - file) below outputUri afterwards.
     */
    private Boolean stageArtifacts = false;
    /**
     * Where uploadInputs puts inputs, e.g. s3://bucket/staging.
     */
    private String stagingUri;
    /**
     * Prefix below outputUri for other tasks; meant for a bucket lifecycle rule.
     */
    private String temporaryPrefix = "tmp";
    /**
     * Uploads (or multipart parts) in flight at once.
     */
    private Integer uploadConcurrency = 4;
    /**
     * Upload local inputs (file:// URIs, absolute paths, artifacts with a localPath) to stagingUri before sending, so
     * the task carries s3:// URIs.
     */
    private Boolean uploadInputs = false;
    /**
     * Per-task work dirs go below this directory (default: {java.io.tmpdir}/sandai-artifacts).
     */
    private String workDir;
    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled = true;
    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by default
     * disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;
    /**
     * Keystore file (PKCS12, or JKS when the name ends in .jks) holding the client certificate for Redis servers that
     * require one.
     */
    private String keyStore;
    /**
     * Password of the keystore.
     */
    private String keyStorePassword;
    /**
     * S3 access key; unset: the AWS SDK's default credentials chain.
     */
    private String s3AccessKey;
    /**
     * S3 secret key.
     */
    private String s3SecretKey;
    /**
     * Truststore file (PKCS12, or JKS when the name ends in .jks) that verifies the Redis server certificate of
     * rediss:// URLs. Unset: the JVM's default trust.
     */
    private String trustStore;
    /**
     * Password of the truststore.
     */
    private String trustStorePassword;
    /**
     * Whether the Redis server's host name must match its TLS certificate.
     */
    private Boolean verifyHostname = true;

    /**
     * Redis Sentinel master name for sentinel:// broker and result backend URLs (kombu's master_name transport option: Celery's broker_transport_options and result_backend_transport_options); required with a sentinel URL. Every new connection asks the sentinels for this master, so a failover is followed without a restart. Unset: SANDAI_OPERATOR_BROKER_MASTER_NAME.
     */
    private String sentinelMasterName;
    /**
     * Master name of a sentinel:// result backend when it differs from sentinelMasterName (Celery's result_backend_transport_options master_name). Unset: SANDAI_OPERATOR_BACKEND_MASTER_NAME, else sentinelMasterName.
     */
    private String resultBackendSentinelMasterName;
    /**
     * Password of the Redis sentinels themselves (kombu's sentinel_kwargs password); the master's password goes in the URL. Unset: SANDAI_OPERATOR_SENTINEL_PASSWORD.
     */
    private String sentinelPassword;
    /**
     * TLS to the Redis sentinels and to the master they name (kombu's sentinel_kwargs ssl and broker_use_ssl), with trustStore, keyStore and verifyHostname. Unset: SANDAI_OPERATOR_SENTINEL_TLS, else false.
     */
    private Boolean sentinelTls;
    /**
     * Durable writes (beyond kombu; 0 = off): how many replicas must confirm each task sent by a producer and each result written by a consumer, with Redis WAIT on the same connection (one WAIT per pipelined batch). When fewer confirm within durableTimeout the send fails with ReplicasNotConfirmedException (naming replicas acked and wanted) and a consumer keeps the task unacked, so it is restored rather than lost in a failover. Costs one replication round trip per batch. Unset: SANDAI_OPERATOR_DURABLE_REPLICAS, else 0.
     */
    private Integer durableReplicas;
    /**
     * How long a durable write waits for its replicas (the WAIT timeout). Keep it well below 10s, the read timeout of pooled producer connections. Unset: SANDAI_OPERATOR_DURABLE_TIMEOUT, else 1s. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String durableTimeout;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public SandaiConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SandaiConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getResultBackendUrl() {
        return resultBackendUrl;
    }

    public void setResultBackendUrl(String resultBackendUrl) {
        this.resultBackendUrl = resultBackendUrl;
    }

    public String getResultSerializer() {
        return resultSerializer;
    }

    public void setResultSerializer(String resultSerializer) {
        this.resultSerializer = resultSerializer;
    }

    public String getTaskSerializer() {
        return taskSerializer;
    }

    public void setTaskSerializer(String taskSerializer) {
        this.taskSerializer = taskSerializer;
    }

    public Boolean getAcksLate() {
        return acksLate;
    }

    public void setAcksLate(Boolean acksLate) {
        this.acksLate = acksLate;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public String getDeadLetterQueue() {
        return deadLetterQueue;
    }

    public void setDeadLetterQueue(String deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getInputSlots() {
        return inputSlots;
    }

    public void setInputSlots(String inputSlots) {
        this.inputSlots = inputSlots;
    }

    public Integer getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(Integer maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public String getOptionsSchema() {
        return optionsSchema;
    }

    public void setOptionsSchema(String optionsSchema) {
        this.optionsSchema = optionsSchema;
    }

    public String getOutputSlots() {
        return outputSlots;
    }

    public void setOutputSlots(String outputSlots) {
        this.outputSlots = outputSlots;
    }

    public Integer getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(Integer prefetch) {
        this.prefetch = prefetch;
    }

    public String getResultsSchema() {
        return resultsSchema;
    }

    public void setResultsSchema(String resultsSchema) {
        this.resultsSchema = resultsSchema;
    }

    public String getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(String shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Boolean getTrackStarted() {
        return trackStarted;
    }

    public void setTrackStarted(Boolean trackStarted) {
        this.trackStarted = trackStarted;
    }

    public String getVisibilityTimeout() {
        return visibilityTimeout;
    }

    public void setVisibilityTimeout(String visibilityTimeout) {
        this.visibilityTimeout = visibilityTimeout;
    }

    public Boolean getAutoForgetResult() {
        return autoForgetResult;
    }

    public void setAutoForgetResult(Boolean autoForgetResult) {
        this.autoForgetResult = autoForgetResult;
    }

    public String getCancelKey() {
        return cancelKey;
    }

    public void setCancelKey(String cancelKey) {
        this.cancelKey = cancelKey;
    }

    public String getCancelTtl() {
        return cancelTtl;
    }

    public void setCancelTtl(String cancelTtl) {
        this.cancelTtl = cancelTtl;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public SandaiOperation getOperation() {
        return operation;
    }

    public void setOperation(SandaiOperation operation) {
        this.operation = operation;
    }

    public Boolean getPersistentOutput() {
        return persistentOutput;
    }

    public void setPersistentOutput(Boolean persistentOutput) {
        this.persistentOutput = persistentOutput;
    }

    public String getPriority() {
        return priority;
    }

    public void setPriority(String priority) {
        this.priority = priority;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Integer getBackendPollConcurrency() {
        return backendPollConcurrency;
    }

    public void setBackendPollConcurrency(Integer backendPollConcurrency) {
        this.backendPollConcurrency = backendPollConcurrency;
    }

    public Integer getBackendPoolLimit() {
        return backendPoolLimit;
    }

    public void setBackendPoolLimit(Integer backendPoolLimit) {
        this.backendPoolLimit = backendPoolLimit;
    }

    public Integer getBrokerPoolLimit() {
        return brokerPoolLimit;
    }

    public void setBrokerPoolLimit(Integer brokerPoolLimit) {
        this.brokerPoolLimit = brokerPoolLimit;
    }

    public String getCancelKeyPrefix() {
        return cancelKeyPrefix;
    }

    public void setCancelKeyPrefix(String cancelKeyPrefix) {
        this.cancelKeyPrefix = cancelKeyPrefix;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getDescTaskName() {
        return descTaskName;
    }

    public void setDescTaskName(String descTaskName) {
        this.descTaskName = descTaskName;
    }

    public String getPoolAcquireTimeout() {
        return poolAcquireTimeout;
    }

    public void setPoolAcquireTimeout(String poolAcquireTimeout) {
        this.poolAcquireTimeout = poolAcquireTimeout;
    }

    public String getResultExpires() {
        return resultExpires;
    }

    public void setResultExpires(String resultExpires) {
        this.resultExpires = resultExpires;
    }

    public String getSharedTransportScope() {
        return sharedTransportScope;
    }

    public void setSharedTransportScope(String sharedTransportScope) {
        this.sharedTransportScope = sharedTransportScope;
    }

    public String getTaskName() {
        return taskName;
    }

    public void setTaskName(String taskName) {
        this.taskName = taskName;
    }

    public String getAllowedRoots() {
        return allowedRoots;
    }

    public void setAllowedRoots(String allowedRoots) {
        this.allowedRoots = allowedRoots;
    }

    public Integer getDownloadConcurrency() {
        return downloadConcurrency;
    }

    public void setDownloadConcurrency(Integer downloadConcurrency) {
        this.downloadConcurrency = downloadConcurrency;
    }

    public String getDownloadOutputs() {
        return downloadOutputs;
    }

    public void setDownloadOutputs(String downloadOutputs) {
        this.downloadOutputs = downloadOutputs;
    }

    public Boolean getKeepWorkDirOnFailure() {
        return keepWorkDirOnFailure;
    }

    public void setKeepWorkDirOnFailure(Boolean keepWorkDirOnFailure) {
        this.keepWorkDirOnFailure = keepWorkDirOnFailure;
    }

    public String getOutputUri() {
        return outputUri;
    }

    public void setOutputUri(String outputUri) {
        this.outputUri = outputUri;
    }

    public String getPersistentPrefix() {
        return persistentPrefix;
    }

    public void setPersistentPrefix(String persistentPrefix) {
        this.persistentPrefix = persistentPrefix;
    }

    public String getS3Endpoint() {
        return s3Endpoint;
    }

    public void setS3Endpoint(String s3Endpoint) {
        this.s3Endpoint = s3Endpoint;
    }

    public Boolean getS3PathStyle() {
        return s3PathStyle;
    }

    public void setS3PathStyle(Boolean s3PathStyle) {
        this.s3PathStyle = s3PathStyle;
    }

    public String getS3Region() {
        return s3Region;
    }

    public void setS3Region(String s3Region) {
        this.s3Region = s3Region;
    }

    public Boolean getStageArtifacts() {
        return stageArtifacts;
    }

    public void setStageArtifacts(Boolean stageArtifacts) {
        this.stageArtifacts = stageArtifacts;
    }

    public String getStagingUri() {
        return stagingUri;
    }

    public void setStagingUri(String stagingUri) {
        this.stagingUri = stagingUri;
    }

    public String getTemporaryPrefix() {
        return temporaryPrefix;
    }

    public void setTemporaryPrefix(String temporaryPrefix) {
        this.temporaryPrefix = temporaryPrefix;
    }

    public Integer getUploadConcurrency() {
        return uploadConcurrency;
    }

    public void setUploadConcurrency(Integer uploadConcurrency) {
        this.uploadConcurrency = uploadConcurrency;
    }

    public Boolean getUploadInputs() {
        return uploadInputs;
    }

    public void setUploadInputs(Boolean uploadInputs) {
        this.uploadInputs = uploadInputs;
    }

    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public String getS3AccessKey() {
        return s3AccessKey;
    }

    public void setS3AccessKey(String s3AccessKey) {
        this.s3AccessKey = s3AccessKey;
    }

    public String getS3SecretKey() {
        return s3SecretKey;
    }

    public void setS3SecretKey(String s3SecretKey) {
        this.s3SecretKey = s3SecretKey;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public Boolean getVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(Boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public String getSentinelMasterName() {
        return sentinelMasterName;
    }

    public void setSentinelMasterName(String sentinelMasterName) {
        this.sentinelMasterName = sentinelMasterName;
    }

    public String getResultBackendSentinelMasterName() {
        return resultBackendSentinelMasterName;
    }

    public void setResultBackendSentinelMasterName(String resultBackendSentinelMasterName) {
        this.resultBackendSentinelMasterName = resultBackendSentinelMasterName;
    }

    public String getSentinelPassword() {
        return sentinelPassword;
    }

    public void setSentinelPassword(String sentinelPassword) {
        this.sentinelPassword = sentinelPassword;
    }

    public Boolean getSentinelTls() {
        return sentinelTls;
    }

    public void setSentinelTls(Boolean sentinelTls) {
        this.sentinelTls = sentinelTls;
    }

    public Integer getDurableReplicas() {
        return durableReplicas;
    }

    public void setDurableReplicas(Integer durableReplicas) {
        this.durableReplicas = durableReplicas;
    }

    public String getDurableTimeout() {
        return durableTimeout;
    }

    public void setDurableTimeout(String durableTimeout) {
        this.durableTimeout = durableTimeout;
    }
}
