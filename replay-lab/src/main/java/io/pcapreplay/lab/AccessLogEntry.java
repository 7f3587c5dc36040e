package io.pcapreplay.lab;

/**
 * One line of the lab nginx access log ({@link NginxServer#LOG_FORMAT}).
 *
 * @param remoteAddress the client address, as nginx prints it
 * @param remotePort the client port
 * @param request the request line, e.g. "GET / HTTP/1.1"
 * @param status the response status
 * @param requestLength bytes of the request: line, headers and body
 * @param bodyBytes bytes of the response body sent
 * @param connection nginx's connection serial number
 * @param connectionRequests the number of this request on its connection (1 for the first)
 */
public record AccessLogEntry(String remoteAddress, int remotePort, String request, int status, long requestLength,
        long bodyBytes, long connection, long connectionRequests) {

    /**
     * Parses a line.
     *
     * @throws IllegalArgumentException when it does not have the lab format
     */
    public static AccessLogEntry parse(String line) {
        int firstQuote = line.indexOf('"');
        int lastQuote = line.lastIndexOf('"');
        if (firstQuote < 2 || lastQuote <= firstQuote) {
            throw invalid(line);
        }
        String endpoint = line.substring(0, firstQuote).trim();
        int colon = endpoint.lastIndexOf(':');
        String[] numbers = line.substring(lastQuote + 1).trim().split(" ");
        if (colon < 1 || numbers.length != 5) {
            throw invalid(line);
        }
        try {
            return new AccessLogEntry(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)),
                    line.substring(firstQuote + 1, lastQuote), Integer.parseInt(numbers[0]),
                    Long.parseLong(numbers[1]), Long.parseLong(numbers[2]), Long.parseLong(numbers[3]),
                    Long.parseLong(numbers[4]));
        } catch (NumberFormatException e) {
            throw invalid(line);
        }
    }

    private static IllegalArgumentException invalid(String line) {
        return new IllegalArgumentException("nginx access log line: \"" + line + "\" (expected: "
                + NginxServer.LOG_FORMAT + ")");
    }
}
