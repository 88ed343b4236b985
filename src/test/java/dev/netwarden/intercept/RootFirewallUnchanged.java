package dev.netwarden.intercept;

import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ExtendWith(RootFirewallUnchanged.class)}: the root namespace's firewall (every ruleset
 * {@link RootFirewallSnapshot} reads) is the same after the test class as before it. The tests that
 * intercept traffic do it in namespaces they create; this is the proof that they never reached the
 * host's own rules. Not root: nothing to compare (those tests skip anyway).
 */
public final class RootFirewallUnchanged implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RootFirewallUnchanged.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (TestNamespace.isRoot()) {
            context.getStore(STORE).put("before", RootFirewallSnapshot.capture());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        String before = context.getStore(STORE).get("before", String.class);
        if (before != null) {
            assertThat(RootFirewallSnapshot.capture()).as("the root namespace's firewall after " + context.getDisplayName())
                    .isEqualTo(before);
        }
    }
}
