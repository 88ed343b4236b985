package dev.netwarden.lists;

import java.util.Set;

/**
 * Hosts files: {@code ADDRESS NAME [NAME…]} with {@code #} comments. Every name is taken whatever
 * the address (block lists use 0.0.0.0 or 127.0.0.1, but the names are what is listed); the names
 * every hosts file maps to the machine itself ({@code localhost}, {@code ip6-allnodes}, …) are
 * skipped. Counts are per name: one line may give several entries.
 */
final class HostsFileParser {
    static final Set<String> LOCAL_NAMES = Set.of("localhost", "localhost.localdomain", "local", "broadcasthost",
            "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
            "ip6-allhosts", "localhost4", "localhost6", "localhost4.localdomain4", "localhost6.localdomain6");

    private HostsFileParser() {
    }

    static void parse(LineScanner line, ListSink sink, ReportBuilder report) {
        byte[] name = new byte[DomainNames.MAX_LENGTH];
        while (line.nextLine()) {
            report.line();
            line.cutComment('#');
            if (line.isEmpty()) {
                continue;
            }
            int s = line.nextField();
            String address = line.text(s, line.fieldEnd());
            if (address.indexOf('/') >= 0 || !isAddress(address)) {
                report.bad(line, "hosts line does not start with an IP address");
                continue;
            }
            boolean any = false;
            int f;
            while ((f = line.nextField()) >= 0) {
                any = true;
                int n = DomainNames.normalise(line.data(), f, line.fieldEnd() - f, name);
                if (n == DomainNames.ADDRESS) {
                    report.skip(line, "an address in the name column");
                } else if (n < 0) {
                    report.bad(line, DomainNames.reason(n));
                } else if (n <= 23 && LOCAL_NAMES.contains(new String(name, 0, n, java.nio.charset.StandardCharsets.US_ASCII))) {
                    report.skip(line, "local host name");
                } else {
                    report.domain();
                    sink.domain(name, n);
                }
            }
            if (!any) {
                report.bad(line, "address without a name");
            }
        }
    }

    private static boolean isAddress(String text) {
        try {
            IpNetwork.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
