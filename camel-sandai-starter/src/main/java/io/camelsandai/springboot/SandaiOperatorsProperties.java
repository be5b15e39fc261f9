package io.camelsandai.springboot;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code sandai.operators.<name>.*}: the operators this application calls through shared client beans. */
@ConfigurationProperties(prefix = "sandai")
public class SandaiOperatorsProperties {

    /**
     * Operators to call, by name; each gets a shared OperatorClient bean of that name, closed on shutdown.
     */
    private Map<String, OperatorClientProperties> operators = new LinkedHashMap<>();

    public Map<String, OperatorClientProperties> getOperators() {
        return operators;
    }

    public void setOperators(Map<String, OperatorClientProperties> operators) {
        this.operators = operators;
    }
}
