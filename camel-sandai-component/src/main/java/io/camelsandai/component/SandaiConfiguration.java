package io.camelsandai.component;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.Durations;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.TlsSettings;
import io.camelsandai.util.CommaList;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the {@code sandai:} component and its endpoints. Set on the component, they are the defaults of every
 * endpoint; each endpoint works on its own {@link #copy()}. Client options left unset fall back to the
 * {@code SANDAI_OPERATOR_*} environment variables of the Python client, then to the documented default (that is why
 * they are objects, and null means "not set").
 */
@UriParams
public class SandaiConfiguration implements Cloneable {

    /*
     * Durations: every duration option is text read by Durations.parse (a bare number is seconds, as in the Python
     * client and Celery), never a java.time.Duration option: Camel's String to Duration conversion, which the
     * generated configurer would use, reads a bare number as milliseconds. The setters check the text at once, so a
     * bad value fails endpoint creation naming the option. DocumentedOptionsTest fails when an option is typed Duration
     * or a *Timeout/*Ttl/*Expires option does not end its description with DURATION_RULE.
     */

    /** The rule every duration option's description ends with. */
    static final String DURATION_RULE = "A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.";

    // ---- connection (common) --------------------------------------------------------------------------------------

    @UriParam(label = "common", defaultValue = "redis://localhost:6379/0",
              description = "Broker Redis URL: redis://host:port/db, with an optional user:password (AUTH or ACL user) before the host, or rediss:// for TLS, "
                            + "or Redis Sentinel as kombu writes it: sentinel://host:26379;sentinel://host2:26379/db, one part per sentinel, "
                            + "the master's password written as in a redis:// URL (the password and db of the first part are the "
                            + "master's; set sentinelMasterName). "
                            + "User and password are percent-decoded as redis-py does (a plus sign stays a plus sign). Unset: "
                            + "SANDAI_OPERATOR_CELERY_BROKER_URL, else the default. The password is masked wherever "
                            + "the endpoint URI is shown; prefer a property placeholder for it.")
    private String brokerUrl;
    @UriParam(label = "common",
              description = "Result backend Redis URL, or rpc:// with an amqp:// broker (results come back as "
                            + "messages to the client's RabbitMQ reply queue, as with Celery's RPC backend; nothing is "
                            + "stored and cancel keys are not available). Unset: SANDAI_OPERATOR_CELERY_RESULT_BACKEND, "
                            + "else the broker URL.")
    private String resultBackendUrl;
    @UriParam(label = "common",
              description = "Redis Sentinel master name for sentinel:// broker and result backend URLs (kombu's "
                            + "master_name transport option: Celery's broker_transport_options and "
                            + "result_backend_transport_options); required with a sentinel URL. Every new connection "
                            + "asks the sentinels for this master, so a failover is followed without a restart. Unset: "
                            + "SANDAI_OPERATOR_BROKER_MASTER_NAME.")
    private String sentinelMasterName;
    @UriParam(label = "advanced",
              description = "Master name of a sentinel:// result backend when it differs from sentinelMasterName "
                            + "(Celery's result_backend_transport_options master_name). Unset: "
                            + "SANDAI_OPERATOR_BACKEND_MASTER_NAME, else sentinelMasterName.")
    private String resultBackendSentinelMasterName;
    @UriParam(label = "security", secret = true,
              description = "Password of the Redis sentinels themselves (kombu's sentinel_kwargs password); the "
                            + "master's password goes in the URL. Unset: SANDAI_OPERATOR_SENTINEL_PASSWORD.")
    private String sentinelPassword;
    @UriParam(label = "security", defaultValue = "false",
              description = "TLS to the Redis sentinels and to the master they name (kombu's sentinel_kwargs ssl and "
                            + "broker_use_ssl), with trustStore, keyStore and verifyHostname. Unset: "
                            + "SANDAI_OPERATOR_SENTINEL_TLS, else false.")
    private Boolean sentinelTls;
    @UriParam(label = "common", defaultValue = "msgpack", enums = "msgpack,json",
              description = "Serializer of the task messages this endpoint sends. Unset: "
                            + "SANDAI_OPERATOR_CELERY_TASK_SERIALIZER, else msgpack. Alias: serializer.")
    private String taskSerializer;
    @UriParam(label = "common", defaultValue = "json", enums = "json,msgpack",
              description = "Serializer of the results the consumer writes (results are read in either). Unset: "
                            + "SANDAI_OPERATOR_CELERY_RESULT_SERIALIZER, else json.")
    private String resultSerializer;
    @UriParam(label = "advanced", defaultValue = "8",
              description = "Most pooled broker connections per shared broker resource. Unset: "
                            + "SANDAI_OPERATOR_BROKER_POOL_LIMIT, else 8.")
    private Integer brokerPoolLimit;
    @UriParam(label = "advanced", defaultValue = "8",
              description = "Most pooled result backend connections per shared backend resource. Unset: "
                            + "SANDAI_OPERATOR_BACKEND_POOL_LIMIT, else 8.")
    private Integer backendPoolLimit;
    @UriParam(label = "advanced", defaultValue = "4",
              description = "Most result backend reads at once (polling safety net of the shared result waiter). "
                            + "Unset: SANDAI_OPERATOR_BACKEND_POLL_CONCURRENCY, else 4.")
    private Integer backendPollConcurrency;
    @UriParam(label = "advanced", defaultValue = "30s",
              description = "How long to wait for a free pooled connection before failing with "
                            + "ClientPoolTimeoutException. Unset: SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT, else 30s. "
                            + DURATION_RULE)
    private String poolAcquireTimeout;
    @UriParam(label = "advanced", defaultValue = "operator", enums = "operator,process",
              description = "Which endpoints share Redis pools and the result waiter: those of the same operator "
                            + "(operator) or all in the JVM with the same settings (process). Unset: "
                            + "SANDAI_OPERATOR_SHARED_TRANSPORT_SCOPE, else operator.")
    private String sharedTransportScope;
    @UriParam(label = "advanced", defaultValue = "5s",
              description = "Redis connect and socket timeout. " + DURATION_RULE)
    private String connectTimeout;
    @UriParam(label = "advanced", defaultValue = "sandai.operator.process",
              description = "Celery task name of process tasks.")
    private String taskName;
    @UriParam(label = "advanced", defaultValue = "sandai.operator.desc",
              description = "Celery task name of description tasks.")
    private String descTaskName;
    @UriParam(label = "advanced", defaultValue = "sandai:cancel:",
              description = "Prefix of the Redis key a cancel key sets (the key is this prefix followed by the cancel key).")
    private String cancelKeyPrefix;
    @UriParam(label = "advanced", defaultValue = "1d",
              description = "How long results are kept in the result backend (Celery's result_expires; rounded down "
                            + "to whole seconds, at least 1). " + DURATION_RULE)
    private String resultExpires;
    @UriParam(label = "advanced", defaultValue = "0",
              description = "Durable writes (beyond kombu; 0 = off): how many replicas must confirm each task sent by "
                            + "a producer and each result written by a consumer, with Redis WAIT on the same "
                            + "connection (one WAIT per pipelined batch). When fewer confirm within durableTimeout "
                            + "the send fails with ReplicasNotConfirmedException (naming replicas acked and wanted) "
                            + "and a consumer keeps the task unacked, so it is restored rather than lost in a "
                            + "failover. Costs one replication round trip per batch. Unset: "
                            + "SANDAI_OPERATOR_DURABLE_REPLICAS, else 0.")
    private Integer durableReplicas;
    @UriParam(label = "advanced", defaultValue = "1s",
              description = "How long a durable write waits for its replicas (the WAIT timeout). Keep it "
                            + "well below 10s, the read timeout of pooled producer connections. Unset: "
                            + "SANDAI_OPERATOR_DURABLE_TIMEOUT, else 1s. " + DURATION_RULE)
    private String durableTimeout;

    // ---- security ---------------------------------------------------------------------------------------------------

    @UriParam(label = "security",
              description = "Truststore file (PKCS12, or JKS when the name ends in .jks) that verifies the Redis "
                            + "server certificate of rediss:// URLs. Unset: the JVM's default trust.")
    private String trustStore;
    @UriParam(label = "security", secret = true, description = "Password of the truststore.")
    private String trustStorePassword;
    @UriParam(label = "security",
              description = "Keystore file (PKCS12, or JKS when the name ends in .jks) holding the client "
                            + "certificate for Redis servers that require one.")
    private String keyStore;
    @UriParam(label = "security", secret = true, description = "Password of the keystore.")
    private String keyStorePassword;
    @UriParam(label = "security", defaultValue = "true",
              description = "Whether the Redis server's host name must match its TLS certificate.")
    private boolean verifyHostname = true;

    // ---- producer -----------------------------------------------------------------------------------------------------

    @UriParam(label = "producer", defaultValue = "process", enums = "process,desc,ping,probe,cancel,batch",
              description = "What the producer does: process (run the operator on the body; InOut waits for the "
                            + "result, InOnly only sends), desc (the operator description), ping (true when the "
                            + "broker accepts a task), probe (send a description task and report each step), cancel "
                            + "(set the cancel key), batch (a list of requests in, a list of per-input results out). "
                            + "Header CamelSandaiOperation overrides it.")
    private SandaiOperation operation = SandaiOperation.process;
    @UriParam(label = "producer", defaultValue = "normal", enums = "high,normal,low,very_low",
              description = "Queue priority of the tasks sent. A bad value fails endpoint creation with "
                            + "InvalidPriorityException. Header CamelSandaiPriority overrides it.")
    private String priority = "normal";
    @UriParam(label = "producer",
              description = "Task timeout: sent as meta.deadline (now plus the timeout), and the longest the producer waits "
                            + "for a result (then TaskTimeoutException). Unset: no deadline and no wait limit (probe "
                            + "waits at most 30s). Header CamelSandaiTimeout overrides it. " + DURATION_RULE)
    private String timeout;
    @UriParam(label = "producer",
              description = "Cancel key sent in meta.cancel_key (process, batch) or set by the cancel operation. "
                            + "Header CamelSandaiCancelKey overrides it.")
    private String cancelKey;
    @UriParam(label = "producer", defaultValue = "false",
              description = "Ask the operator to write outputs below its persistent prefix. Header "
                            + "CamelSandaiPersistentOutput overrides it.")
    private boolean persistentOutput;
    @UriParam(label = "producer", defaultValue = "false",
              description = "Delete each result from the result backend once it has been read. Unset: "
                            + "SANDAI_OPERATOR_AUTO_FORGET_RESULT, else false.")
    private Boolean autoForgetResult;
    @UriParam(label = "producer", defaultValue = "1d",
              description = "How long a cancel key set by the cancel operation lives. " + DURATION_RULE)
    private String cancelTtl;

    // ---- consumer -----------------------------------------------------------------------------------------------------

    @UriParam(label = "consumer", defaultValue = "1", description = "Tasks run at once.")
    private int concurrency = 1;
    @UriParam(label = "consumer",
              description = "Most tasks taken from Redis and not yet finished; unset means the concurrency, so that a "
                            + "second worker on the same queues gets the rest.")
    private Integer prefetch;
    @UriParam(label = "consumer", defaultValue = "true",
              description = "Acknowledge a task after its result is written (true), or on receipt like Celery's "
                            + "default (false).")
    private boolean acksLate = true;
    @UriParam(label = "consumer", defaultValue = "1h",
              description = "Tasks taken but not acknowledged for this long (e.g. after a crash) are put back on their "
                            + "queue by any worker, Java or Python (kombu's visibility_timeout). " + DURATION_RULE)
    private String visibilityTimeout = "1h";
    @UriParam(label = "consumer", defaultValue = "30s",
              description = "On stop, how long in-flight tasks may finish; the unfinished ones are pushed back to the "
                            + "head of their queue. " + DURATION_RULE)
    private String shutdownTimeout = "30s";
    @UriParam(label = "consumer", defaultValue = "sandai.dead-letter",
              description = "Redis list that receives messages that cannot be run (malformed, oversize) with the "
                            + "reason.")
    private String deadLetterQueue = "sandai.dead-letter";
    @UriParam(label = "consumer", defaultValue = "16777216",
              description = "Largest task message body accepted, in bytes (default 16 MiB); larger ones are "
                            + "dead-lettered.")
    private int maxMessageBytes = 16 * 1024 * 1024;
    @UriParam(label = "consumer", defaultValue = "false",
              description = "Write a STARTED state before the route runs a task.")
    private boolean trackStarted;
    @UriParam(label = "consumer", description = "Human description returned by desc tasks.")
    private String description;
    @UriParam(label = "consumer", description = "Input slot names returned by desc tasks, comma separated.")
    private String inputSlots;
    @UriParam(label = "consumer", description = "Output slot names returned by desc tasks, comma separated.")
    private String outputSlots;
    @UriParam(label = "consumer",
              description = "JSON schema of the options, returned by desc tasks: JSON text, or a resource such as "
                            + "classpath:schemas/options.json.")
    private String optionsSchema;
    @UriParam(label = "consumer",
              description = "JSON schema of the results, returned by desc tasks: JSON text, or a resource such as "
                            + "classpath:schemas/results.json.")
    private String resultsSchema;

    // ---- artifact staging -------------------------------------------------------------------------------------------

    @UriParam(label = "consumer,artifacts", defaultValue = "false",
              description = "Download every input artifact into a per-task work dir before the route runs (the body's "
                            + "artifacts then carry localPath, header CamelSandaiLocalPaths maps slot to path), and "
                            + "upload the outputs the route declares (artifacts with a localPath in the reply, or "
                            + "header CamelSandaiOutputs slot -> file) below outputUri afterwards.")
    private boolean stageArtifacts;
    @UriParam(label = "consumer,artifacts",
              description = "Where outputs are uploaded, e.g. s3://bucket/outputs; objects go to "
                            + "{outputUri}/{persistentPrefix or temporaryPrefix}/{operator}/{version}/{taskId}/{slot}/{file}.")
    private String outputUri;
    @UriParam(label = "consumer,artifacts", defaultValue = "persistent",
              description = "Prefix below outputUri for tasks whose meta.persistent-output is true.")
    private String persistentPrefix = "persistent";
    @UriParam(label = "consumer,artifacts", defaultValue = "tmp",
              description = "Prefix below outputUri for other tasks; meant for a bucket lifecycle rule.")
    private String temporaryPrefix = "tmp";
    @UriParam(label = "consumer,artifacts",
              description = "Per-task work dirs go below this directory (default: {java.io.tmpdir}/sandai-artifacts).")
    private String workDir;
    @UriParam(label = "consumer,artifacts", defaultValue = "false",
              description = "Keep a failed task's work dir for debugging; it is always removed otherwise.")
    private boolean keepWorkDirOnFailure;
    @UriParam(label = "common,artifacts",
              description = "Comma-separated absolute directories that file:// artifacts may be read from or written "
                            + "to. Empty (the default): every file:// artifact is refused, so a task from the network "
                            + "cannot read local files.")
    private String allowedRoots;
    @UriParam(label = "common,artifacts", defaultValue = "4", description = "Downloads in flight at once.")
    private int downloadConcurrency = 4;
    @UriParam(label = "common,artifacts", defaultValue = "4", description = "Uploads (or multipart parts) in flight at once.")
    private int uploadConcurrency = 4;
    @UriParam(label = "producer,artifacts", defaultValue = "false",
              description = "Upload local inputs (file:// URIs, absolute paths, artifacts with a localPath) to "
                            + "stagingUri before sending, so the task carries s3:// URIs.")
    private boolean uploadInputs;
    @UriParam(label = "producer,artifacts", description = "Where uploadInputs puts inputs, e.g. s3://bucket/staging.")
    private String stagingUri;
    @UriParam(label = "producer,artifacts",
              description = "Download the result artifacts into this directory ({dir}/{slot}/{file}), verifying size "
                            + "and sha256; the reply's artifacts then carry local paths next to their URIs.")
    private String downloadOutputs;
    @UriParam(label = "common,artifacts",
              description = "S3 endpoint override for S3-compatible stores (MinIO, S3Proxy, ...); unset: AWS.")
    private String s3Endpoint;
    @UriParam(label = "common,artifacts", description = "S3 region; unset: the AWS SDK's default chain, else us-east-1.")
    private String s3Region;
    @UriParam(label = "common,artifacts", defaultValue = "false",
              description = "Path-style S3 addressing (needed by most S3-compatible stores).")
    private boolean s3PathStyle;
    @UriParam(label = "common,artifacts,security", secret = true,
              description = "S3 access key; unset: the AWS SDK's default credentials chain.")
    private String s3AccessKey;
    @UriParam(label = "common,artifacts,security", secret = true, description = "S3 secret key.")
    private String s3SecretKey;

    /** Artifact staging settings built from the artifact options. */
    public ArtifactSettings toArtifactSettings() {
        ArtifactSettings.Builder b = ArtifactSettings.builder()
                .outputUri(outputUri).stagingUri(stagingUri).persistentPrefix(persistentPrefix)
                .temporaryPrefix(temporaryPrefix).downloadConcurrency(downloadConcurrency)
                .uploadConcurrency(uploadConcurrency).s3PathStyle(s3PathStyle).keepWorkDirOnFailure(keepWorkDirOnFailure);
        if (workDir != null) {
            b.workDir(Path.of(workDir));
        }
        if (allowedRoots != null && !allowedRoots.isBlank()) {
            b.allowedRoots(CommaList.split(allowedRoots).stream().map(Path::of).toList());
        }
        if (s3Endpoint != null) {
            b.s3Endpoint(URI.create(s3Endpoint));
        }
        if (s3Region != null) {
            b.s3Region(s3Region);
        }
        if (s3AccessKey != null || s3SecretKey != null) {
            b.s3Credentials(s3AccessKey, s3SecretKey);
        }
        return b.build();
    }

    public boolean isStageArtifacts() {
        return stageArtifacts;
    }

    public void setStageArtifacts(boolean stageArtifacts) {
        this.stageArtifacts = stageArtifacts;
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

    public String getTemporaryPrefix() {
        return temporaryPrefix;
    }

    public void setTemporaryPrefix(String temporaryPrefix) {
        this.temporaryPrefix = temporaryPrefix;
    }

    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    public boolean isKeepWorkDirOnFailure() {
        return keepWorkDirOnFailure;
    }

    public void setKeepWorkDirOnFailure(boolean keepWorkDirOnFailure) {
        this.keepWorkDirOnFailure = keepWorkDirOnFailure;
    }

    public String getAllowedRoots() {
        return allowedRoots;
    }

    public void setAllowedRoots(String allowedRoots) {
        this.allowedRoots = allowedRoots;
    }

    public int getDownloadConcurrency() {
        return downloadConcurrency;
    }

    public void setDownloadConcurrency(int downloadConcurrency) {
        this.downloadConcurrency = downloadConcurrency;
    }

    public int getUploadConcurrency() {
        return uploadConcurrency;
    }

    public void setUploadConcurrency(int uploadConcurrency) {
        this.uploadConcurrency = uploadConcurrency;
    }

    public boolean isUploadInputs() {
        return uploadInputs;
    }

    public void setUploadInputs(boolean uploadInputs) {
        this.uploadInputs = uploadInputs;
    }

    public String getStagingUri() {
        return stagingUri;
    }

    public void setStagingUri(String stagingUri) {
        this.stagingUri = stagingUri;
    }

    public String getDownloadOutputs() {
        return downloadOutputs;
    }

    public void setDownloadOutputs(String downloadOutputs) {
        this.downloadOutputs = downloadOutputs;
    }

    public String getS3Endpoint() {
        return s3Endpoint;
    }

    public void setS3Endpoint(String s3Endpoint) {
        this.s3Endpoint = s3Endpoint;
    }

    public String getS3Region() {
        return s3Region;
    }

    public void setS3Region(String s3Region) {
        this.s3Region = s3Region;
    }

    public boolean isS3PathStyle() {
        return s3PathStyle;
    }

    public void setS3PathStyle(boolean s3PathStyle) {
        this.s3PathStyle = s3PathStyle;
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

    /** A copy for one endpoint, so that endpoint options never change the component's defaults. */
    public SandaiConfiguration copy() {
        try {
            return (SandaiConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The client settings; null members fall back to the environment and defaults inside {@link OperatorSettings}. */
    public OperatorSettings toOperatorSettings() {
        TlsSettings tls = trustStore == null && keyStore == null && verifyHostname ? TlsSettings.DEFAULT
                : new TlsSettings(trustStore, trustStorePassword, keyStore, keyStorePassword, verifyHostname);
        return OperatorSettings.builder()
                .brokerUrl(brokerUrl)
                .resultBackendUrl(resultBackendUrl)
                .taskSerializer(taskSerializer)
                .resultSerializer(resultSerializer)
                .autoForgetResult(autoForgetResult)
                .brokerPoolLimit(brokerPoolLimit)
                .backendPoolLimit(backendPoolLimit)
                .backendPollConcurrency(backendPollConcurrency)
                .poolAcquireTimeout(poolAcquireTimeoutDuration())
                .sharedTransportScope(sharedTransportScope)
                .taskName(taskName)
                .descTaskName(descTaskName)
                .cancelKeyPrefix(cancelKeyPrefix)
                .cancelTtl(cancelTtlDuration())
                .resultExpiresSeconds(resultExpires == null ? null
                        : Math.toIntExact(Math.max(1, resultExpiresDuration().toSeconds())))
                .defaultPriority(Priority.parse(priority))
                .defaultTimeout(timeoutDuration())
                .connectTimeout(connectTimeoutDuration())
                .durableReplicas(durableReplicas)
                .durableTimeout(durableTimeoutDuration())
                .tls(tls)
                .sentinelMasterName(sentinelMasterName)
                .resultBackendSentinelMasterName(resultBackendSentinelMasterName)
                .sentinelPassword(sentinelPassword)
                .sentinelTls(sentinelTls)
                .build();
    }

    private static String checkedDuration(String option, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Durations.parse(option, text);
        return text.trim();
    }

    // ---- accessors ------------------------------------------------------------------------------------------------------

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

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getResultBackendUrl() {
        return resultBackendUrl;
    }

    public void setResultBackendUrl(String resultBackendUrl) {
        this.resultBackendUrl = resultBackendUrl;
    }

    public String getTaskSerializer() {
        return taskSerializer;
    }

    public void setTaskSerializer(String taskSerializer) {
        this.taskSerializer = taskSerializer;
    }

    /** Alias of {@link #setTaskSerializer(String)}, the name the Python client uses. */
    public void setSerializer(String serializer) {
        this.taskSerializer = serializer;
    }

    public String getResultSerializer() {
        return resultSerializer;
    }

    public void setResultSerializer(String resultSerializer) {
        this.resultSerializer = resultSerializer;
    }

    public Integer getBrokerPoolLimit() {
        return brokerPoolLimit;
    }

    public void setBrokerPoolLimit(Integer brokerPoolLimit) {
        this.brokerPoolLimit = brokerPoolLimit;
    }

    public Integer getBackendPoolLimit() {
        return backendPoolLimit;
    }

    public void setBackendPoolLimit(Integer backendPoolLimit) {
        this.backendPoolLimit = backendPoolLimit;
    }

    public Integer getBackendPollConcurrency() {
        return backendPollConcurrency;
    }

    public void setBackendPollConcurrency(Integer backendPollConcurrency) {
        this.backendPollConcurrency = backendPollConcurrency;
    }

    public Integer getDurableReplicas() {
        return durableReplicas;
    }

    public void setDurableReplicas(Integer durableReplicas) {
        this.durableReplicas = durableReplicas;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getDurableTimeout() {
        return durableTimeout;
    }

    public void setDurableTimeout(String durableTimeout) {
        this.durableTimeout = checkedDuration("durableTimeout", durableTimeout);
    }

    /** {@link #getDurableTimeout()} as a Duration; null when unset. */
    public Duration durableTimeoutDuration() {
        return Durations.parseOptional("durableTimeout", durableTimeout);
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getPoolAcquireTimeout() {
        return poolAcquireTimeout;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setPoolAcquireTimeout(String poolAcquireTimeout) {
        this.poolAcquireTimeout = checkedDuration("poolAcquireTimeout", poolAcquireTimeout);
    }

    /** {@link #getPoolAcquireTimeout()} as a Duration; null when unset. */
    public Duration poolAcquireTimeoutDuration() {
        return Durations.parseOptional("poolAcquireTimeout", poolAcquireTimeout);
    }

    public String getSharedTransportScope() {
        return sharedTransportScope;
    }

    public void setSharedTransportScope(String sharedTransportScope) {
        this.sharedTransportScope = sharedTransportScope;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getConnectTimeout() {
        return connectTimeout;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = checkedDuration("connectTimeout", connectTimeout);
    }

    /** {@link #getConnectTimeout()} as a Duration; null when unset. */
    public Duration connectTimeoutDuration() {
        return Durations.parseOptional("connectTimeout", connectTimeout);
    }

    public String getTaskName() {
        return taskName;
    }

    public void setTaskName(String taskName) {
        this.taskName = taskName;
    }

    public String getDescTaskName() {
        return descTaskName;
    }

    public void setDescTaskName(String descTaskName) {
        this.descTaskName = descTaskName;
    }

    public String getCancelKeyPrefix() {
        return cancelKeyPrefix;
    }

    public void setCancelKeyPrefix(String cancelKeyPrefix) {
        this.cancelKeyPrefix = cancelKeyPrefix;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getResultExpires() {
        return resultExpires;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setResultExpires(String resultExpires) {
        this.resultExpires = checkedDuration("resultExpires", resultExpires);
    }

    /** {@link #getResultExpires()} as a Duration; null when unset. */
    public Duration resultExpiresDuration() {
        return Durations.parseOptional("resultExpires", resultExpires);
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

    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public SandaiOperation getOperation() {
        return operation;
    }

    public void setOperation(SandaiOperation operation) {
        this.operation = operation;
    }

    public String getPriority() {
        return priority;
    }

    public void setPriority(String priority) {
        this.priority = priority;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getTimeout() {
        return timeout;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setTimeout(String timeout) {
        this.timeout = checkedDuration("timeout", timeout);
    }

    /** {@link #getTimeout()} as a Duration; null when unset. */
    public Duration timeoutDuration() {
        return Durations.parseOptional("timeout", timeout);
    }

    public String getCancelKey() {
        return cancelKey;
    }

    public void setCancelKey(String cancelKey) {
        this.cancelKey = cancelKey;
    }

    public boolean isPersistentOutput() {
        return persistentOutput;
    }

    public void setPersistentOutput(boolean persistentOutput) {
        this.persistentOutput = persistentOutput;
    }

    public Boolean getAutoForgetResult() {
        return autoForgetResult;
    }

    public void setAutoForgetResult(Boolean autoForgetResult) {
        this.autoForgetResult = autoForgetResult;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getCancelTtl() {
        return cancelTtl;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setCancelTtl(String cancelTtl) {
        this.cancelTtl = checkedDuration("cancelTtl", cancelTtl);
    }

    /** {@link #getCancelTtl()} as a Duration; null when unset. */
    public Duration cancelTtlDuration() {
        return Durations.parseOptional("cancelTtl", cancelTtl);
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public Integer getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(Integer prefetch) {
        this.prefetch = prefetch;
    }

    public boolean isAcksLate() {
        return acksLate;
    }

    public void setAcksLate(boolean acksLate) {
        this.acksLate = acksLate;
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getVisibilityTimeout() {
        return visibilityTimeout;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setVisibilityTimeout(String visibilityTimeout) {
        this.visibilityTimeout = checkedDuration("visibilityTimeout", visibilityTimeout);
    }

    /** {@link #getVisibilityTimeout()} as a Duration; null when unset. */
    public Duration visibilityTimeoutDuration() {
        return Durations.parseOptional("visibilityTimeout", visibilityTimeout);
    }

    /** The option as written (a bare number is seconds); null when unset. */
    public String getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** Checked at once: a bad value throws IllegalArgumentException naming the option. */
    public void setShutdownTimeout(String shutdownTimeout) {
        this.shutdownTimeout = checkedDuration("shutdownTimeout", shutdownTimeout);
    }

    /** {@link #getShutdownTimeout()} as a Duration; null when unset. */
    public Duration shutdownTimeoutDuration() {
        return Durations.parseOptional("shutdownTimeout", shutdownTimeout);
    }

    public String getDeadLetterQueue() {
        return deadLetterQueue;
    }

    public void setDeadLetterQueue(String deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public boolean isTrackStarted() {
        return trackStarted;
    }

    public void setTrackStarted(boolean trackStarted) {
        this.trackStarted = trackStarted;
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

    public String getOutputSlots() {
        return outputSlots;
    }

    public void setOutputSlots(String outputSlots) {
        this.outputSlots = outputSlots;
    }

    public String getOptionsSchema() {
        return optionsSchema;
    }

    public void setOptionsSchema(String optionsSchema) {
        this.optionsSchema = optionsSchema;
    }

    public String getResultsSchema() {
        return resultsSchema;
    }

    public void setResultsSchema(String resultsSchema) {
        this.resultsSchema = resultsSchema;
    }
}
