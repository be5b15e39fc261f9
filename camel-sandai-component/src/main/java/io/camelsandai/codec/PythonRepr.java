package io.camelsandai.codec;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The text Celery puts in the {@code argsrepr} / {@code kwargsrepr} headers: {@code celery.utils.saferepr} with a
 * length budget (1024) and three nesting levels. It is for humans only (Flower, logs), but writing it the way
 * Celery does keeps our envelopes identical to stock ones. Rules reproduced here: strings in single quotes with only
 * {@code '} escaped, Python literals for bool/None/float, containers nested three deep shown as {@code {...}}, and
 * once the budget is spent {@code , ...} followed by the closing brackets of whatever is still open.
 */
public final class PythonRepr {
    /** Celery's {@code argsrepr_maxsize} and {@code kwargsrepr_maxsize}. */
    public static final int CELERY_MAXSIZE = 1024;
    private static final int MAX_LEVELS = 3;

    private PythonRepr() {
    }

    /** Java arrays stand for Python tuples, lists and collections for lists, maps for dicts. */
    public static String saferepr(Object value, int maxlen) {
        Emitter e = new Emitter(maxlen);
        e.value(value);
        return e.finish();
    }

    /** Unlimited length; used for dict keys, as Celery does, with the budget left at that point. */
    private static String saferepr(Object value, Integer maxlen) {
        Emitter e = new Emitter(maxlen);
        e.value(value);
        return e.finish();
    }

    private static final class Emitter {
        private final StringBuilder out = new StringBuilder(512);
        private final Deque<String> openClosers = new ArrayDeque<>();
        private Integer budget;
        private int level;
        private boolean cut;

        Emitter(Integer budget) {
            this.budget = budget;
        }

        String finish() {
            return out.toString();
        }

        private boolean token(String text) {
            return token(text, false);
        }

        /**
         * Appends one token unless the budget is spent; then writes the cut-off marker and the closers still pending.
         * Celery consumes the token at which it cuts off, so when that token is itself a closer it is lost.
         */
        private boolean token(String text, boolean closing) {
            if (cut) {
                return false;
            }
            if (budget != null && budget <= 0) {
                out.append(", ...");
                openClosers.stream().skip(closing ? 1 : 0).forEach(out::append); // innermost first
                cut = true;
                return false;
            }
            out.append(text);
            if (budget != null) {
                budget -= pyLen(text);
            }
            return true;
        }

        private void value(Object v) {
            if (cut) {
                return;
            }
            if (v instanceof Map<?, ?> map) {
                container("{", "}", map.size(), map.entrySet().iterator(), true);
            } else if (v instanceof Collection<?> list) {
                container("[", "]", list.size(), list.iterator(), false);
            } else if (v instanceof Object[] tuple) {
                container("(", tuple.length == 1 ? ",)" : ")", tuple.length, List.of(tuple).iterator(), false);
            } else if (v instanceof String s) {
                token(quoted(s));
            } else if (v instanceof byte[] bytes) {
                token("b'" + truncate(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), budget) + "'");
            } else {
                token(truncate(scalar(v), budget));
            }
        }

        private void container(String open, String close, int size, Iterator<?> items, boolean isMap) {
            if (level >= MAX_LEVELS) {
                token(truncate(open + "..." + close, budget));
                return;
            }
            openClosers.push(close);
            if (token(open)) {
                level++;
                int i = 0;
                while (items.hasNext() && !cut) {
                    Object item = items.next();
                    if (isMap) {
                        Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
                        if (!token(key(e.getKey()))) {
                            break;
                        }
                        if (!token(": ")) {
                            break;
                        }
                        value(e.getValue());
                    } else {
                        value(item);
                    }
                    if (++i < size && !token(", ")) {
                        break;
                    }
                }
                if (!cut && token(close, true)) {
                    level--;
                }
            }
            if (!cut) {
                openClosers.pop();
            }
        }

        /**
         * A dict key as Celery writes it: saferepr of the key with the budget left. A string key is written here
         * directly, as that nested saferepr would write it (quoted and truncated with the same budget), without a
         * nested emitter and its buffers for each key of each message.
         */
        private String key(Object key) {
            if (key instanceof String s && (budget == null || budget > 0)) {
                return quoted(s);
            }
            return saferepr(key, budget);
        }

        private String quoted(String s) {
            return "'" + truncate(s, budget).replace("'", "\\'") + "'";
        }
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                return "nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            return PythonFloat.repr(d);
        }
        if (v instanceof BigDecimal d) {
            return "Decimal('" + d.toPlainString() + "')";
        }
        return v.toString();
    }

    /** Python's {@code len(str)}: code points, not UTF-16 units. */
    private static int pyLen(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code celery.utils.text.truncate}: cut at the budget, back to the last space, and mark with "...". */
    private static String truncate(String s, Integer maxlen) {
        int length = pyLen(s);
        if (maxlen != null && maxlen != 0 && length >= maxlen) {
            int keep = maxlen > 0 ? maxlen : Math.max(0, length + maxlen);
            String head = s.substring(0, s.offsetByCodePoints(0, keep));
            int space = head.lastIndexOf(' ');
            return (space >= 0 ? head.substring(0, space) : head) + "...";
        }
        return s;
    }
}
