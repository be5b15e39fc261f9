package io.camelsandai.springboot;

/**
 * One entry of {@code sandai.operators.<name>.*}: a shared {@link io.camelsandai.client.OperatorClient} bean named
 * {@code <name>} for operator {@code <name>}:{@code version}. Connection options left unset are taken from
 * {@code camel.component.sandai.*}, then from the {@code SANDAI_OPERATOR_*} environment, then the defaults.
 */
public class OperatorClientProperties {

    /**
     * Operator version, e.g. v1 (required): tasks go to the queues <priority>.<name>.<version>.
     */
    private String version;
    /**
     * Operator name when it differs from the key under sandai.operators (the key is still the bean name).
     */
    private String operatorName;
    /**
     * Default priority of the tasks sent: high, normal, low or very_low.
     */
    private String priority;
    /**
     * Default task timeout: the deadline sent with each task and the longest a call waits. A bare number is seconds;
     * also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String timeout;
    /**
     * Broker Redis URL; unset: camel.component.sandai.broker-url.
     */
    private String brokerUrl;
    /**
     * Result backend Redis URL, or rpc:// with an amqp:// broker; unset: camel.component.sandai.result-backend-url,
     * else the broker URL.
     */
    private String resultBackendUrl;
    /**
     * Serializer of the task messages: msgpack or json.
     */
    private String taskSerializer;
    /**
     * Most pooled broker connections.
     */
    private Integer brokerPoolLimit;
    /**
     * Most pooled result backend connections.
     */
    private Integer backendPoolLimit;
    /**
     * How long to wait for a free pooled connection. A bare number is seconds; also 500ms, 30s, 5m, 2h, 1d or PT30S.
     */
    private String poolAcquireTimeout;
    /**
     * Delete each result from the result backend once it has been read.
     */
    private Boolean autoForgetResult;
    /**
     * Which clients share Redis pools: operator or process.
     */
    private String sharedTransportScope;

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getOperatorName() {
        return operatorName;
    }

    public void setOperatorName(String operatorName) {
        this.operatorName = operatorName;
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

    public String getPoolAcquireTimeout() {
        return poolAcquireTimeout;
    }

    public void setPoolAcquireTimeout(String poolAcquireTimeout) {
        this.poolAcquireTimeout = poolAcquireTimeout;
    }

    public Boolean getAutoForgetResult() {
        return autoForgetResult;
    }

    public void setAutoForgetResult(Boolean autoForgetResult) {
        this.autoForgetResult = autoForgetResult;
    }

    public String getSharedTransportScope() {
        return sharedTransportScope;
    }

    public void setSharedTransportScope(String sharedTransportScope) {
        this.sharedTransportScope = sharedTransportScope;
    }
}
