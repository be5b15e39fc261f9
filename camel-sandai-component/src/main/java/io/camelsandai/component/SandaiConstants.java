package io.camelsandai.component;

import org.apache.camel.spi.Metadata;

/** Message headers and exchange properties of the {@code sandai:} component. Headers all start with {@code CamelSandai}. */
public final class SandaiConstants {

    @Metadata(description = "The Celery task id. Producer: set on the reply (InOut) or after sending (InOnly) and on "
                            + "each batch entry. Consumer: the id of the task being served.",
              javaType = "String")
    public static final String TASK_ID = "CamelSandaiTaskId";

    @Metadata(label = "producer", description = "The operator status of the result: success, failed, cancelled or "
                                                + "deadline_exceeded.",
              javaType = "String")
    public static final String STATUS = "CamelSandaiStatus";

    @Metadata(description = "Producer: overrides the priority of this message (high, normal, low, very_low; a bad "
                            + "value fails the exchange with InvalidPriorityException). Consumer: the priority of the "
                            + "queue the task came from.",
              javaType = "String", enums = "high,normal,low,very_low")
    public static final String PRIORITY = "CamelSandaiPriority";

    @Metadata(label = "producer", description = "Overrides the timeout of this message: a java.time.Duration, a number "
                                                + "of seconds, or text such as 500ms, 30s, 5m or PT30S (a bare number "
                                                + "is seconds, as in the timeout option). It becomes the task deadline "
                                                + "and bounds the wait for the result.",
              javaType = "java.time.Duration")
    public static final String TIMEOUT = "CamelSandaiTimeout";

    @Metadata(description = "Producer: the cancel key of this message (sent in meta.cancel_key, or the key that the "
                            + "cancel operation sets). Consumer: the cancel key of the task, if any.",
              javaType = "String")
    public static final String CANCEL_KEY = "CamelSandaiCancelKey";

    @Metadata(description = "Producer: overrides persistentOutput for this message. Consumer: whether the task asks "
                            + "for persistent outputs.",
              javaType = "Boolean")
    public static final String PERSISTENT_OUTPUT = "CamelSandaiPersistentOutput";

    @Metadata(label = "producer", description = "Overrides the operation of this message.", javaType = "String",
              enums = "process,desc,ping,probe,cancel,batch")
    public static final String OPERATION = "CamelSandaiOperation";

    @Metadata(label = "consumer", description = "The task deadline as float seconds since the Unix epoch, or absent "
                                                + "when the task has none.",
              javaType = "Double")
    public static final String DEADLINE = "CamelSandaiDeadline";

    @Metadata(label = "consumer", description = "Celery's retry counter of the task.", javaType = "Integer")
    public static final String RETRIES = "CamelSandaiRetries";

    @Metadata(description = "Progress percent (0-100). Producer: the last PROGRESS the operator published before its "
                            + "result. Consumer: the value SandaiProgress.fromHeaders() publishes.",
              javaType = "Integer")
    public static final String PROGRESS = "CamelSandaiProgress";

    @Metadata(description = "Progress message that goes with CamelSandaiProgress.", javaType = "String")
    public static final String PROGRESS_MESSAGE = "CamelSandaiProgressMessage";

    @Metadata(label = "consumer", description = "Set by the route, together with an exception, to mark the failure "
                                                + "retryable (error.retryable in the failed result).",
              javaType = "Boolean")
    public static final String RETRYABLE = "CamelSandaiRetryable";

    @Metadata(label = "consumer", description = "Set by the route, together with an exception, to choose error.type of "
                                                + "the failed result (default: the exception's simple class name).",
              javaType = "String")
    public static final String ERROR_TYPE = "CamelSandaiErrorType";

    @Metadata(label = "consumer", description = "With stageArtifacts: where the input artifacts were downloaded, by slot "
                                                + "(the first artifact of each slot; the body's artifacts carry every "
                                                + "localPath).",
              javaType = "java.util.Map<String, java.nio.file.Path>")
    public static final String LOCAL_PATHS = "CamelSandaiLocalPaths";
    @Metadata(label = "consumer", description = "With stageArtifacts: the outputs a route declares, slot to local file "
                                                + "(Path, File or path text) or to a list of them; they are uploaded "
                                                + "below outputUri and answered as artifacts with size and sha256.",
              javaType = "java.util.Map<String, Object>")
    public static final String OUTPUTS = "CamelSandaiOutputs";

    /**
     * Exchange property (producer): a {@code java.util.function.Consumer<io.camelsandai.codec.ResultMeta>} that sees
     * every PROGRESS the operator publishes while the producer waits; called on the result waiter's thread, keep it
     * short.
     */
    public static final String PROGRESS_LISTENER_PROPERTY = "CamelSandaiProgressListener";

    /** Exchange property: the typed {@link io.camelsandai.model.OperatorResult} of a process call (producer). */
    public static final String RESULT_PROPERTY = "CamelSandaiResult";

    /** Exchange property: the raw Celery kwargs map of the task being served (consumer). */
    public static final String KWARGS_PROPERTY = "CamelSandaiKwargs";

    /** Exchange property: the {@link io.camelsandai.operator.OperatorTask} being served (consumer). */
    public static final String TASK_PROPERTY = "CamelSandaiTask";

    private SandaiConstants() {
    }
}
