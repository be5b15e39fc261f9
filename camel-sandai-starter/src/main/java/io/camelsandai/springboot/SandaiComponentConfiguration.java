package io.camelsandai.springboot;

import java.time.Duration;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.camelsandai.component.SandaiConfiguration;
import io.camelsandai.component.SandaiOperation;

/**
 * {@code camel.component.sandai.*}: every option of the {@code sandai} component, in the shape of Camel's own starters
 * (written from the component's catalog JSON, {@code META-INF/io/camelsandai/component/sandai.json}; keep the two in
 * step when an option is added). A property left unset stays null and is not copied, so the component keeps its
 * default and its {@code SANDAI_OPERATOR_*} environment fallback.
 */
@ConfigurationProperties(prefix = "camel.component.sandai")
public class SandaiComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Whether to enable auto configuration of the sandai component. This is enabled by default.
     */
    private Boolean enabled;
    /**
     * Broker Redis URL: redis://[user:password@]host:port/db, or rediss:// for TLS. Unset:
     * SANDAI_OPERATOR_CELERY_BROKER_URL, else the default. The password is masked wherever the endpoint URI is shown;
     * prefer a property placeholder for it.
     */
    private String brokerUrl;
    /**
     * Component-level defaults of every endpoint option, as a bean reference (#beanName). The options below are
     * applied on top of it.
     */
    private SandaiConfiguration configuration;
    /**
     * Result backend Redis URL. Unset: SANDAI_OPERATOR_CELERY_RESULT_BACKEND, else the broker URL.
     */
    private String resultBackendUrl;
    /**
     * Serializer of the results the consumer writes (results are read in either). Unset:
     * SANDAI_OPERATOR_CELERY_RESULT_SERIALIZER, else json.
     */
    private String resultSerializer;
    /**
     * Serializer of the task messages this endpoint sends. Unset: SANDAI_OPERATOR_CELERY_TASK_SERIALIZER, else
     * msgpack. Alias: serializer.
     */
    private String taskSerializer;
    /**
     * Acknowledge a task after its result is written (true), or on receipt like Celery's default (false).
     */
    private Boolean acksLate = true;
    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed as
     * a message and handled by the routing Error Handler. Important: This is only possible if the 3rd party component
     * allows Camel to be alerted if an exception was thrown. Some components handle this internally only, and
     * therefore bridgeErrorHandler is not possible. In other situations we may improve the Camel component to hook
     * into the 3rd party component and make this possible for future releases. By default the consumer will use the
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
     * On stop, how long in-flight tasks may finish; the unfinished ones are pushed back to the head of their queue.
     * Default: 30s.
     */
    private Duration shutdownTimeout;
    /**
     * Write a STARTED state before the route runs a task.
     */
    private Boolean trackStarted = false;
    /**
     * Tasks taken but not acknowledged for this long (e.g. after a crash) are put back on their queue by any worker,
     * Java or Python. Default: 3600s.
     */
    private Duration visibilityTimeout;
    /**
     * Delete each result from the result backend once it has been read. Unset: SANDAI_OPERATOR_AUTO_FORGET_RESULT,
     * else false.
     */
    private Boolean autoForgetResult;
    /**
     * Cancel key sent in meta.cancel_key (process, batch) or set by the cancel operation. Header CamelSandaiCancelKey
     * overrides it.
     */
    private String cancelKey;
    /**
     * How long a cancel key set by the cancel operation lives (e.g. 1h, 1d). Default: 1d.
     */
    private Duration cancelTtl;
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
     * Task timeout (e.g. 30s, 2m, PT30S): sent as meta.deadline = now timeout, and the longest the producer waits for
     * a result (then TaskTimeoutException). Unset: no deadline and no wait limit (probe waits at most 30 seconds).
     * Header CamelSandaiTimeout overrides it.
     */
    private Duration timeout;
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
     * Prefix of the Redis key a cancel key sets (the key is prefix cancel key). Default: sandai:cancel:.
     */
    private String cancelKeyPrefix;
    /**
     * Redis connect and socket timeout (e.g. 5s). Default: 5s.
     */
    private Duration connectTimeout;
    /**
     * Celery task name of description tasks. Default: sandai.operator.desc.
     */
    private String descTaskName;
    /**
     * How long to wait for a free pooled connection before failing with ClientPoolTimeoutException (e.g. 30s, 500ms,
     * PT1M). Unset: SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT (seconds), else 30 seconds.
     */
    private Duration poolAcquireTimeout;
    /**
     * How long results are kept in the result backend (whole seconds, e.g. 1d, 3600s). Default: 1d.
     */
    private Duration resultExpires;
    /**
     * Which endpoints share Redis pools and the result waiter: those of the same operator (operator) or all in the JVM
     * with the same settings (process). Unset: SANDAI_OPERATOR_SHARED_TRANSPORT_SCOPE, else operator.
     */
    private String sharedTransportScope;
    /**
     * Celery task name of process tasks. Default: sandai.operator.process.
     */
    private String taskName;
    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled = true;
    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by
     * default disabled all producer based health-checks. You can turn on producer checks globally by setting
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

    // ---- accessors ------------------------------------------------------------------------------------------------

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

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Boolean getTrackStarted() {
        return trackStarted;
    }

    public void setTrackStarted(Boolean trackStarted) {
        this.trackStarted = trackStarted;
    }

    public Duration getVisibilityTimeout() {
        return visibilityTimeout;
    }

    public void setVisibilityTimeout(Duration visibilityTimeout) {
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

    public Duration getCancelTtl() {
        return cancelTtl;
    }

    public void setCancelTtl(Duration cancelTtl) {
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

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
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

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getDescTaskName() {
        return descTaskName;
    }

    public void setDescTaskName(String descTaskName) {
        this.descTaskName = descTaskName;
    }

    public Duration getPoolAcquireTimeout() {
        return poolAcquireTimeout;
    }

    public void setPoolAcquireTimeout(Duration poolAcquireTimeout) {
        this.poolAcquireTimeout = poolAcquireTimeout;
    }

    public Duration getResultExpires() {
        return resultExpires;
    }

    public void setResultExpires(Duration resultExpires) {
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
}
