package io.camelsandai.component;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

import io.camelsandai.model.Priority;

/**
 * The {@code sandai:operatorName:operatorVersion} component: calls Sandai operators (producer) and serves as one
 * (consumer) over Celery protocol v2 on Redis. Its {@link SandaiConfiguration} holds the defaults of every endpoint.
 */
@Component("sandai")
public class SandaiComponent extends HealthCheckComponent {

    @Metadata(description = "Component-level defaults of every endpoint option")
    private SandaiConfiguration configuration = new SandaiConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] nameAndVersion = splitRemaining(remaining);
        SandaiConfiguration endpointConfiguration = configuration.copy();
        // The Python client calls it "serializer": accept that spelling too (taskSerializer wins if both are given).
        Object serializer = parameters.remove("serializer");
        if (serializer != null && !parameters.containsKey("taskSerializer")) {
            endpointConfiguration.setTaskSerializer(String.valueOf(serializer));
        }
        String shownUri = SandaiUris.sanitizedEndpointUri(uri, remaining, parameters);
        SandaiEndpoint endpoint = new SandaiEndpoint(shownUri, this, endpointConfiguration);
        endpoint.setOperatorName(nameAndVersion[0]);
        endpoint.setOperatorVersion(nameAndVersion[1]);
        setProperties(endpoint, parameters);
        // Fail fast at creation, not on the first message.
        Priority.parse(endpointConfiguration.getPriority());
        return endpoint;
    }

    static String[] splitRemaining(String remaining) {
        String text = remaining == null ? "" : remaining.trim();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon).trim();
        String version = colon < 0 ? "" : text.substring(colon + 1).trim();
        if (name.isEmpty() || version.isEmpty() || version.contains(":")) {
            throw new IllegalArgumentException("sandai endpoint needs an operator name and version: "
                                               + "sandai:operatorName:operatorVersion, got sandai:" + text);
        }
        return new String[] { name, version };
    }

    public SandaiConfiguration getConfiguration() {
        return configuration;
    }

    /** The defaults of every endpoint of this component. */
    public void setConfiguration(SandaiConfiguration configuration) {
        this.configuration = configuration;
    }
}
