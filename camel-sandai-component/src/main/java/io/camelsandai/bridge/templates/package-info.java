/**
 * Camel route templates that join runqy, Avtomatika and gyoza to Sandai operators with configuration only.
 */
package io.camelsandai.bridge.templates;
