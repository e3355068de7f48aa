package dev.faultline.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnPeers}: a peers health contributor with no
 * peers would only add an {@code UNKNOWN} component.
 */
class OnPeersCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean declared = Binder.get(context.getEnvironment())
			.bind("faultline.peers", Bindable.mapOf(String.class, Object.class))
			.map((peers) -> !peers.isEmpty())
			.orElse(false);
		return declared ? ConditionOutcome.match("peers declared under faultline.peers")
				: ConditionOutcome.noMatch("no peers declared under faultline.peers");
	}

}
