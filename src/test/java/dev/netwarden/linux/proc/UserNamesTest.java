package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static dev.netwarden.linux.proc.Fixtures.real;
import static org.assertj.core.api.Assertions.assertThat;

class UserNamesTest {
    @Test
    void readsThisMachinesPasswd() {
        UserNames users = UserNames.parse(real("passwd"));
        assertThat(users.nameOf(0)).isEqualTo("root");
        assertThat(users.nameOf(65534)).isEqualTo("nobody");
        assertThat(users.nameOf(4242)).isEqualTo("4242");
        assertThat(users.uidOf("root")).isZero();
        assertThat(users.uidOf("nobody")).isEqualTo(65534);
        assertThat(users.uidOf("no-such-user")).isEqualTo(-1);
    }

    @Test
    void skipsBadLinesAndKeepsTheFirstEntryOfAUid() {
        UserNames users = UserNames.parse(ascii("# comment\n+nis::::::\nbad\nx:y\nalice:x:1000:1000::/home/a:/bin/sh\n"
                + "alias:x:1000:1000::/:/bin/sh\nbob:x:notanumber:1::/:/bin/sh\ncarol:x::1::/:/bin/sh\n:x:5:5::/:/bin/sh\n"));
        assertThat(users.nameOf(1000)).isEqualTo("alice");
        assertThat(users.size()).isEqualTo(1);
        assertThat(users.nameOf(5)).isEqualTo("5");
        assertThat(users.uidOf("alice")).isEqualTo(1000);
        assertThat(users.uidOf("alias")).as("a later line of the same uid still names a user").isEqualTo(1000);
        assertThat(users.uidOf("bob")).as("a bad uid names no one").isEqualTo(-1);
        assertThat(users.uidOf("")).isEqualTo(-1);
    }

    @Test
    void unknownUidsAreUnsignedNumbers() {
        assertThat(UserNames.none().nameOf(-2)).isEqualTo("4294967294");
    }
}
