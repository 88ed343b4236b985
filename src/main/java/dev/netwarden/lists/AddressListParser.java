package dev.netwarden.lists;

/**
 * IP lists: one IPv4 or IPv6 address or CIDR network per line, {@code #} and {@code ;} comments
 * (whole-line or after a blank, as in Spamhaus' DROP list: {@code 192.0.2.0/24 ; SBL123}).
 */
final class AddressListParser {
    private AddressListParser() {
    }

    static void parse(LineScanner line, ListSink sink, ReportBuilder report) {
        while (line.nextLine()) {
            report.line();
            line.cutComment('#');
            line.cutComment(';');
            if (line.isEmpty()) {
                continue;
            }
            int s = line.nextField();
            int e = line.fieldEnd();
            if (line.nextField() >= 0) {
                report.bad(line, "more than one field");
                continue;
            }
            IpNetwork network;
            try {
                network = IpNetwork.parse(line.text(s, e));
            } catch (IllegalArgumentException bad) {
                report.bad(line, bad.getMessage());
                continue;
            }
            report.network();
            sink.network(network);
        }
    }
}
