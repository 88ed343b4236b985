package dev.netwarden.lists;

/**
 * Plain domain lists: one name per line, {@code #} comments (whole-line or after a blank). A leading
 * {@code *.} or {@code .} is dropped, since an entry covers its subdomains anyway (so
 * {@code *.example.com} also covers {@code example.com} itself: lists err towards blocking).
 */
final class DomainListParser {
    private DomainListParser() {
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
            int e = line.fieldEnd();
            if (line.nextField() >= 0) {
                report.bad(line, "more than one field (a hosts file? use --format hosts)");
                continue;
            }
            byte[] d = line.data();
            if (e - s > 2 && d[s] == '*' && d[s + 1] == '.') {
                s += 2;
            } else if (e - s > 1 && d[s] == '.') {
                s += 1;
            }
            int n = DomainNames.normalise(d, s, e - s, name);
            if (n < 0) {
                report.bad(line, DomainNames.reason(n));
            } else {
                report.domain();
                sink.domain(name, n);
            }
        }
    }
}
