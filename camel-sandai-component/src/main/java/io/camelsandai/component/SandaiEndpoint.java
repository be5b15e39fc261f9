package io.camelsandai.component;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Call a Sandai operator (Celery protocol v2 on Redis) or serve as one. The endpoint URI it reports never holds a
 * password: Redis URL passwords and secret options are masked.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "sandai", title = "Sandai", syntax = "sandai:operatorName:operatorVersion",
             category = { Category.MESSAGING }, headersClass = SandaiConstants.class)
public class SandaiEndpoint extends DefaultEndpoint {

    @UriPath(description = "Operator name, e.g. video-clipper; part of the queue names <priority>.<name>.<version>")
    @Metadata(required = true)
    private String operatorName;
    @UriPath(description = "Operator version, e.g. v1")
    @Metadata(required = true)
    private String operatorVersion;
    @UriParam
    private SandaiConfiguration configuration;

    public SandaiEndpoint(String endpointUri, SandaiComponent component, SandaiConfiguration configuration) {
        super(endpointUri, component);
        this.configuration = configuration;
    }

    @Override
    public SandaiComponent getComponent() {
        return (SandaiComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new SandaiProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SandaiConsumer consumer = new SandaiConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getOperatorName() {
        return operatorName;
    }

    public void setOperatorName(String operatorName) {
        this.operatorName = operatorName;
    }

    public String getOperatorVersion() {
        return operatorVersion;
    }

    public void setOperatorVersion(String operatorVersion) {
        this.operatorVersion = operatorVersion;
    }

    public SandaiConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SandaiConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public String toString() {
        return "SandaiEndpoint[" + SandaiUris.sanitizeText(getEndpointUri()) + "]";
    }
}
