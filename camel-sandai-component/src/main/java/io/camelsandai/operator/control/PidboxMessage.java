package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;

/**
 * One broadcast of kombu's {@code Mailbox._publish} (on Redis wrapped in a kombu envelope), whose body is
 * {@code {"method", "arguments", "destination", "pattern", "matcher"[, "ticket", "reply_to"]}}. Only a message with a
 * {@code reply_to} gets an answer, as in kombu's {@code Node.dispatch}.
 *
 * @param replyExchange   {@code reply_to.exchange} ({@code reply.celery.pidbox}), or null for a cast
 * @param replyRoutingKey {@code reply_to.routing_key}: the caller's mailbox id (its reply queue's binding key)
 * @param clock           the sender's Lamport clock (header {@code clock}), 0 when absent
 */
record PidboxMessage(String method, Map<String, Object> arguments, List<String> destination, String pattern,
        String matcher, String ticket, String replyExchange, String replyRoutingKey, long clock,
        ContentType contentType) {

    boolean wantsReply() {
        return replyExchange != null && replyRoutingKey != null;
    }

    /**
     * Parses the published text.
     *
     * @throws MalformedMessageException when it is not a kombu envelope carrying a pidbox command
     */
    static PidboxMessage parse(byte[] published) {
        Object parsed;
        try {
            parsed = PythonJson.decode(published);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("envelope is not JSON");
        }
        if (!(parsed instanceof Map<?, ?> envelope)) {
            throw new MalformedMessageException("envelope is not a JSON object");
        }
        Map<?, ?> headers = envelope.get("headers") instanceof Map<?, ?> h ? h : Map.of();
        Map<?, ?> properties = envelope.get("properties") instanceof Map<?, ?> p ? p : Map.of();
        ContentType type = ContentType.fromMimeType(text(envelope.get("content-type")));
        if (!(envelope.get("body") instanceof String body)) {
            throw new MalformedMessageException("envelope \"body\" is not a string");
        }
        byte[] bytes;
        try {
            bytes = "base64".equals(properties.get("body_encoding")) ? Base64.getMimeDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("body is not valid base64");
        }
        long clock = headers.get("clock") instanceof Number n ? n.longValue() : 0;
        return fromBody(bytes, type, clock);
    }

    /**
     * The command in a message body as a broker delivers it (AMQP: the body as is, content type and {@code clock}
     * header from the message properties).
     *
     * @throws MalformedMessageException when the body does not decode to a pidbox command
     */
    @SuppressWarnings("unchecked")
    static PidboxMessage fromBody(byte[] bytes, ContentType type, long clock) {
        Object decoded;
        try {
            decoded = type.decode(bytes);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("body cannot be decoded as " + type.serializerName());
        }
        if (!(decoded instanceof Map<?, ?> m) || !(m.get("method") instanceof String method)) {
            throw new MalformedMessageException("body is not a pidbox command (no \"method\")");
        }
        Object args = m.get("arguments");
        if (args != null && !(args instanceof Map)) {
            throw new MalformedMessageException("\"arguments\" is not a map");
        }
        String exchange = null;
        String routingKey = null;
        if (m.get("reply_to") instanceof Map<?, ?> replyTo) {
            exchange = text(replyTo.get("exchange"));
            routingKey = text(replyTo.get("routing_key"));
        }
        return new PidboxMessage(method, args == null ? Map.of() : (Map<String, Object>) args,
                destination(m.get("destination")), text(m.get("pattern")), text(m.get("matcher")),
                text(m.get("ticket")), exchange, routingKey, clock, type);
    }

    private static List<String> destination(Object value) {
        if (!(value instanceof List<?> list)) {
            return value instanceof String s ? List.of(s) : null;
        }
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(String.valueOf(n)));
        return names;
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }

    /** kombu's {@code Node.handle_message} filter: a non-empty destination list, else pattern+matcher, else all. */
    boolean isFor(String nodeName) {
        if (destination != null && !destination.isEmpty()) {
            return destination.contains(nodeName);
        }
        if (pattern != null && !pattern.isEmpty() && matcher != null && !matcher.isEmpty()) {
            return matches(nodeName, pattern, matcher);
        }
        return true;
    }

    /** kombu.matcher: {@code glob} is fnmatch, {@code pcre} is {@code re.match} (anchored at the start only). */
    static boolean matches(String nodeName, String pattern, String matcher) {
        try {
            return switch (matcher) {
                case "glob" -> Pattern.compile(globToRegex(pattern), Pattern.DOTALL).matcher(nodeName).matches();
                case "pcre" -> Pattern.compile(pattern).matcher(nodeName).lookingAt();
                default -> false; // kombu raises MatcherNotInstalled: nobody runs the command
            };
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        re.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
