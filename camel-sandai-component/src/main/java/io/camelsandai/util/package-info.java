/**
 * Small building blocks the other packages share: retry back-off, daemon threads, comma lists. Nothing here knows
 * about Celery, Redis or Camel.
 */
package io.camelsandai.util;
