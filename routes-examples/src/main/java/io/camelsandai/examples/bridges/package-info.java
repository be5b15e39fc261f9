/**
 * Copy-paste examples of the bridge route templates of {@link io.camelsandai.bridge.templates.SandaiBridgeTemplates},
 * one class per template. Each shows the Java way ({@code TemplatedRouteBuilder}) and, in its Javadoc, the YAML
 * {@code templatedRoutes} equivalent.
 */
package io.camelsandai.examples.bridges;
