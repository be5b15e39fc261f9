package io.camelsandai.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Celery {@code FAILURE} results that Python can rebuild: {@code exc_module.exc_type(*exc_message)} must name a
 * real Python exception, and the traceback is a Python-shaped text so that tools that print it stay readable.
 */
final class CeleryFailures {
    static final String ORIGIN = "sandai-operator-runtime (Java)";

    private CeleryFailures() {
    }

    static Map<String, Object> exception(String type, String module, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exc_type", type);
        m.put("exc_message", new ArrayList<>(List.of(message)));
        m.put("exc_module", module);
        return m;
    }

    /** A refusal raised by the runtime itself, not by Java code failing: one frame naming the runtime. */
    static String refusalTraceback(String module, String type, String message) {
        return "Traceback (most recent call last):\n  File \"" + ORIGIN + "\", line 1, in <module>\n"
               + module + "." + type + ": " + message + "\n";
    }

    /** A broken invariant in Java code: {@code builtins.RuntimeError("<JavaClass>: msg")}. */
    static Map<String, Object> runtimeError(Throwable t) {
        return exception("RuntimeError", "builtins", javaMessage(t));
    }

    static String javaMessage(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }

    /** The Java stack trace in Python's traceback shape, innermost frame last, as Python prints it. */
    static String javaTraceback(Throwable t) {
        StringBuilder sb = new StringBuilder("Traceback (most recent call last):\n");
        StackTraceElement[] frames = t.getStackTrace();
        int shown = Math.min(frames.length, 40);
        for (int i = shown - 1; i >= 0; i--) {
            StackTraceElement f = frames[i];
            sb.append("  File \"").append(f.getFileName() == null ? f.getClassName() : f.getFileName())
                    .append("\", line ").append(Math.max(f.getLineNumber(), 0))
                    .append(", in ").append(f.getClassName()).append('.').append(f.getMethodName()).append('\n');
        }
        sb.append("RuntimeError: ").append(javaMessage(t)).append('\n');
        return sb.toString();
    }
}
