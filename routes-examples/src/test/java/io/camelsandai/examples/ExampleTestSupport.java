package io.camelsandai.examples;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.testsupport.RedisServerExtension;

/** Runs example routes for real: a private Redis per test class, its URL given as property sandai.broker-url. */
abstract class ExampleTestSupport extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties properties = new Properties();
        properties.setProperty("sandai.broker-url", REDIS.url());
        properties.putAll(extraProperties());
        context.getPropertiesComponent().setOverrideProperties(properties);
        return context;
    }

    /** More properties the routes under test need. */
    protected Properties extraProperties() {
        return new Properties();
    }
}
