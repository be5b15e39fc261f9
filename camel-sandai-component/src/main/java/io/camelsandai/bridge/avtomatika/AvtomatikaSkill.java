package io.camelsandai.bridge.avtomatika;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.camelsandai.bridge.OperatorBinding;
import io.camelsandai.bridge.OperatorTarget;

/**
 * A skill this worker offers and the Sandai operator that runs it.
 *
 * @param binding      skill name (= task {@code type}) -> operator, limit group, input slots
 * @param skillVersion the skill's {@code version} (tasks asking for another version are not sent here); may be null
 * @param skillType    the skill's {@code type}; may be null
 * @param description  may be null
 * @param cost         {@code capabilities.cost_per_skill} entry; null = none (the orchestrator then prices it +inf)
 * @param hot          listed in {@code hot_skills} while it has capacity
 */
public record AvtomatikaSkill(OperatorBinding binding, String skillVersion, String skillType, String description,
        Double cost, boolean hot) {

    public AvtomatikaSkill {
        Objects.requireNonNull(binding, "binding");
    }

    public static AvtomatikaSkill of(String name, OperatorTarget target) {
        return new AvtomatikaSkill(OperatorBinding.of(name, target), null, null, null, null, true);
    }

    AvtomatikaSkill withCost(Double newCost) {
        return new AvtomatikaSkill(binding, skillVersion, skillType, description, newCost, hot);
    }

    public String name() {
        return binding.key();
    }

    static AvtomatikaSkill fromBinding(OperatorBinding b) {
        String cost = b.attribute("cost");
        String hot = b.attribute("hot");
        return new AvtomatikaSkill(b, b.attribute("skill-version"), b.attribute("skill-type"), b.attribute("description"),
                cost == null ? null : Double.valueOf(cost), hot == null || Boolean.parseBoolean(hot));
    }

    /** The {@code supported_skills} entry. */
    Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name());
        m.put("type", skillType);
        m.put("version", skillVersion);
        m.put("description", description);
        return m;
    }
}
