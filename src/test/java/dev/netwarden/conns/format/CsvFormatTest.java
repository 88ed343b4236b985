package dev.netwarden.conns.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvFormatTest {

    @Test
    void oneRowPerSocketAndHolder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CsvFormat().write(Fixtures.listing(), List.of("ignored"), out);
        String csv = out.toString(StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n", -1)).containsExactly(
                "netid,state,recv_q,send_q,local_address,local_port,remote_address,remote_port,path,peer_inode,uid,inode,cookie,interface,pid,fd,process,user,process_uid,exe,exe_deleted,cmdline,ppid,container_id",
                "tcp,listening,0,0,0.0.0.0,22,0.0.0.0,0,,,1000,4242,7,,812,3,sshd,root,0,/usr/sbin/sshd,false,/usr/sbin/sshd,1,",
                "tcp,established,0,36,::1,22,fe80::1,51000,,,0,12345,31,2,812,4,sshd,root,0,/usr/sbin/sshd,false,/usr/sbin/sshd,1,",
                "tcp,listening,0,0,::,80,::,0,,,1000,4242,7,,900,6,nginx,www-data,0,/usr/sbin/nginx,false,/usr/sbin/nginx,1,",
                "tcp,listening,0,0,::,80,::,0,,,1000,4242,7,,901,6,nginx,www-data,0,/usr/sbin/nginx,false,/usr/sbin/nginx,1,",
                "tcp,listening,0,0,::,80,::,0,,,1000,4242,7,,666,9,\\x1b[31mevil\\u202e,mallory,1000,\"/tmp/=cmd|x,\"\"y\"\"\",true,\"'=HYPERLINK(\"\"http://x\"\") a,b\",1,",
                "tcp,time-wait,0,0,10.0.0.5,40000,93.184.216.34,443,,,1000,4242,7,,,,,,,,,,,",
                "u_str,established,0,0,,,,,/run/evil\\x1b]0;pwned\\x07.sock,1586,,1587,,,666,5,\\x1b[31mevil\\u202e,mallory,1000,\"/tmp/=cmd|x,\"\"y\"\"\",true,\"'=HYPERLINK(\"\"http://x\"\") a,b\",1,",
                "");
        for (String line : csv.split("\r\n")) {
            assertThat(countFieldsRfc4180(line)).as(line).isEqualTo(CsvFormat.HEADER.size());
        }
    }

    @Test
    void formulaGuardAndQuoting() {
        StringBuilder sb = new StringBuilder();
        for (String v : List.of("=1+1", "+x", "-x", "@x", "plain", "a\"b", "x\ny", "")) {
            CsvFormat.text(sb, v);
            sb.append('|');
        }
        assertThat(sb).hasToString("'=1+1|'+x|'-x|'@x|plain|\"a\"\"b\"|x\\x0ay||");
    }

    /** Counts fields of one record the RFC 4180 way, to prove quoting keeps columns aligned. */
    private static int countFieldsRfc4180(String line) {
        int fields = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields++;
            }
        }
        return fields;
    }
}
