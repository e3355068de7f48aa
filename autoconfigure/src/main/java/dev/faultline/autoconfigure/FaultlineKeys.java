package dev.faultline.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * Every key a properties class binds, found by walking its JavaBean properties the way
 * the binder does, so that a property added to the class is a known key without being
 * listed anywhere else. A map of JavaBeans contributes its value's keys under a
 * {@code *} element that stands for any map key, such as
 * {@code faultline.peers.*.heartbeat.interval}.
 */
final class FaultlineKeys {

	static final String ANY = "*";

	private final List<Key> keys;

	private FaultlineKeys(List<Key> keys) {
		this.keys = List.copyOf(keys);
	}

	static FaultlineKeys of(String prefix, Class<?> type) {
		List<Key> keys = new ArrayList<>();
		walk(prefix, type, keys);
		return new FaultlineKeys(keys);
	}

	List<Key> all() {
		return this.keys;
	}

	private static void walk(String prefix, Class<?> type, List<Key> keys) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName());
			ResolvableType propertyType = ResolvableType.forMethodReturnType(descriptor.getReadMethod());
			Class<?> resolved = propertyType.resolve(Object.class);
			if (Map.class.isAssignableFrom(resolved) && isNestedBean(propertyType.asMap().resolveGeneric(1), type)) {
				walk(name + "." + ANY, propertyType.asMap().resolveGeneric(1), keys);
			}
			else if (isNestedBean(resolved, type)) {
				walk(name, resolved, keys);
			}
			else if (descriptor.getWriteMethod() != null) {
				keys.add(new Key(name, type, descriptor.getName(), propertyType));
			}
		}
	}

	// The binder descends into JavaBeans; Faultline's own are declared beside the root.
	private static boolean isNestedBean(Class<?> candidate, Class<?> owner) {
		return candidate != null && !candidate.isEnum() && !Collection.class.isAssignableFrom(candidate)
				&& !Map.class.isAssignableFrom(candidate)
				&& candidate.getPackageName().equals(owner.getPackageName());
	}

	/**
	 * Returns the known key nearest to an unknown one, with the unknown name's own map
	 * keys in place of {@code *}, if one is near enough to be the key that was meant.
	 * @param unknown the unknown name
	 * @return the nearest known key
	 */
	Optional<String> nearest(ConfigurationPropertyName unknown) {
		String index = "";
		ConfigurationPropertyName name = unknown;
		while (name.getNumberOfElements() > 1 && name.isLastElementIndexed()) {
			index = "[" + name.getLastElement(ConfigurationPropertyName.Form.ORIGINAL) + "]" + index;
			name = name.getParent();
		}
		String wanted = name.toString();
		String leaf = name.getLastElement(ConfigurationPropertyName.Form.DASHED);
		Key nearest = null;
		String nearestName = null;
		int nearestDistance = Integer.MAX_VALUE;
		List<String> sameLeaf = new ArrayList<>();
		for (Key key : this.keys) {
			String candidate = key.nameFor(name);
			int distance = distance(wanted, candidate);
			if (distance < nearestDistance) {
				nearest = key;
				nearestName = candidate;
				nearestDistance = distance;
			}
			if (candidate.endsWith("." + leaf)) {
				sameLeaf.add(candidate);
			}
		}
		if (nearest != null && nearestDistance <= Math.max(2, wanted.length() / 8)) {
			return Optional.of(nearestName + (nearest.isCollection() ? index : ""));
		}
		Optional<String> bySegments = nearestBySegments(name, index);
		if (bySegments.isPresent()) {
			return bySegments;
		}
		// A level left out or added, such as faultline.max-local-pause: the leaf is unique,
		// or one key with it shares more of the unknown name's start than any other.
		return closestByStart(wanted, sameLeaf);
	}

	private static Optional<String> closestByStart(String wanted, List<String> candidates) {
		String closest = null;
		int longest = -1;
		boolean tied = false;
		for (String candidate : candidates) {
			int common = 0;
			while (common < Math.min(wanted.length(), candidate.length())
					&& wanted.charAt(common) == candidate.charAt(common)) {
				common++;
			}
			if (common > longest) {
				closest = candidate;
				longest = common;
				tied = false;
			}
			else if (common == longest) {
				tied = true;
			}
		}
		return (closest != null && !tied) ? Optional.of(closest) : Optional.empty();
	}

	/**
	 * Returns the known key or map entry nearest to an unknown name compared segment by
	 * segment, each near its own, with the unknown name's map keys carried over. It finds
	 * what the whole name's distance misses: a misspelled map name, such as
	 * {@code faultline.fuctions.shipping} for the entry {@code faultline.functions.shipping},
	 * whose known keys are all longer, and misspellings spread over several segments.
	 */
	private Optional<String> nearestBySegments(ConfigurationPropertyName name, String index) {
		int length = name.getNumberOfElements();
		String nearest = null;
		int nearestDistance = Integer.MAX_VALUE;
		for (Key key : this.keys) {
			String[] elements = key.name().split("\\.");
			// Only a known name: the whole key, or the key up to a map key it ends on.
			boolean whole = length == elements.length;
			if (length > elements.length || (!whole && !elements[length - 1].equals(ANY))) {
				continue;
			}
			StringBuilder candidate = new StringBuilder();
			int distance = 0;
			for (int i = 0; i < length && distance != Integer.MAX_VALUE; i++) {
				String element = elements[i];
				if (element.equals(ANY)) {
					element = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
				}
				else {
					int segmentDistance = distance(name.getElement(i, ConfigurationPropertyName.Form.DASHED), element);
					distance = (segmentDistance <= Math.max(1, element.length() / 4)) ? distance + segmentDistance
							: Integer.MAX_VALUE;
				}
				candidate.append((i > 0) ? "." : "").append(element);
			}
			// No distance at all is a known entry given a value it cannot take: no guess.
			if (distance > 0 && distance < nearestDistance) {
				nearest = candidate + ((whole && key.isCollection()) ? index : "");
				nearestDistance = distance;
			}
		}
		return Optional.ofNullable(nearest);
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * One leaf key.
	 * @param name the key in its dashed form, {@code *} for each map key
	 * @param owner the JavaBean that holds the property
	 * @param property the JavaBean property name
	 * @param type the property's type
	 */
	record Key(String name, Class<?> owner, String property, ResolvableType type) {

		boolean isCollection() {
			return Collection.class.isAssignableFrom(this.type.resolve(Object.class));
		}

		// The key as the unknown name would have spelled it: its map keys in place of '*'.
		String nameFor(ConfigurationPropertyName unknown) {
			String[] elements = this.name.split("\\.");
			StringBuilder result = new StringBuilder();
			for (int i = 0; i < elements.length; i++) {
				String element = elements[i];
				if (element.equals(ANY) && i < unknown.getNumberOfElements()) {
					element = unknown.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
				}
				result.append((i > 0) ? "." : "").append(element);
			}
			return result.toString();
		}

	}

}
