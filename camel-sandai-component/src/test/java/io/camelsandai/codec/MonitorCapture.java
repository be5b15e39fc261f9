package io.camelsandai.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Redis {@code MONITOR} capture (one command per line, arguments double-quoted with {@code \"}, {@code \\},
 * {@code \xHH}, {@code \n}, {@code \r}, {@code \t} escapes) into commands with their arguments as raw bytes.
 */
final class MonitorCapture {
    record Command(List<byte[]> args) {
        String name() {
            return new String(args.get(0), StandardCharsets.UTF_8);
        }

        String arg(int i) {
            return new String(args.get(i), StandardCharsets.UTF_8);
        }
    }

    private MonitorCapture() {
    }

    static List<Command> load(String resource) throws IOException {
        try (InputStream in = MonitorCapture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            List<Command> commands = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
                if (line.startsWith("\"")) {
                    commands.add(new Command(parse(line)));
                }
            }
            return commands;
        }
    }

    static List<Command> named(List<Command> all, String name) {
        return all.stream().filter(c -> c.name().equalsIgnoreCase(name)).toList();
    }

    private static List<byte[]> parse(String line) {
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != '"') {
                i++;
                continue;
            }
            ByteArrayOutputStream arg = new ByteArrayOutputStream();
            i++;
            while (line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = line.charAt(i + 1);
                    switch (next) {
                        case 'x' -> {
                            arg.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                            i += 4;
                            continue;
                        }
                        case 'n' -> arg.write('\n');
                        case 'r' -> arg.write('\r');
                        case 't' -> arg.write('\t');
                        default -> arg.write(next);
                    }
                    i += 2;
                } else {
                    arg.write(c);
                    i++;
                }
            }
            args.add(arg.toByteArray());
            i++;
        }
        return args;
    }
}
