package dev.netwarden.prompt;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.PromptScope;
import dev.netwarden.firewall.RuleDuration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerLineTest {

    @Test
    void anActionAloneIsThisDestinationOnce() {
        assertThat(AnswerLine.parse("a")).isEqualTo(new AnswerLine.Answer(Action.ALLOW, PromptScope.DESTINATION, RuleDuration.ONCE));
        assertThat(AnswerLine.parse("  Deny ")).isEqualTo(new AnswerLine.Answer(Action.DENY, PromptScope.DESTINATION, RuleDuration.ONCE));
    }

    @Test
    void scopeAndDurationComeInAnyOrder() {
        assertThat(AnswerLine.parse("allow exe always"))
                .isEqualTo(new AnswerLine.Answer(Action.ALLOW, PromptScope.EXE, RuleDuration.ALWAYS));
        assertThat(AnswerLine.parse("r 15m cmdline"))
                .isEqualTo(new AnswerLine.Answer(Action.REJECT, PromptScope.CMDLINE, RuleDuration.minutes(15)));
        assertThat(AnswerLine.parse("d destination until-exit"))
                .isEqualTo(new AnswerLine.Answer(Action.DENY, PromptScope.DESTINATION, RuleDuration.UNTIL_EXIT));
    }

    @Test
    void emptyLineSkipsQuitOrEndOfInputQuits() {
        assertThat(AnswerLine.parse("")).isInstanceOf(AnswerLine.Skip.class);
        assertThat(AnswerLine.parse("   ")).isInstanceOf(AnswerLine.Skip.class);
        assertThat(AnswerLine.parse("q")).isInstanceOf(AnswerLine.Quit.class);
        assertThat(AnswerLine.parse(null)).isInstanceOf(AnswerLine.Quit.class);
    }

    @Test
    void mistakesAreExplainedNotGuessed() {
        assertThat(AnswerLine.parse("yes")).isInstanceOfSatisfying(AnswerLine.Invalid.class,
                i -> assertThat(i.message()).startsWith("\"yes\" is not an action"));
        assertThat(AnswerLine.parse("a forever")).isInstanceOfSatisfying(AnswerLine.Invalid.class,
                i -> assertThat(i.message()).startsWith("\"forever\" is neither a scope nor a duration"));
        assertThat(AnswerLine.parse("a exe cmdline")).isInstanceOfSatisfying(AnswerLine.Invalid.class,
                i -> assertThat(i.message()).startsWith("two scopes"));
        assertThat(AnswerLine.parse("a once always")).isInstanceOfSatisfying(AnswerLine.Invalid.class,
                i -> assertThat(i.message()).startsWith("two durations"));
        assertThat(AnswerLine.parse("a 0m")).isInstanceOf(AnswerLine.Invalid.class);
    }
}
