package dev.portier.bench.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The synthetic estate the sessions run on: operators, routers, switches and servers in eight sites. */
final class Estate {
    static final List<String> SITES = List.of("bru", "ams", "par", "fra", "lon", "mad", "mil", "vie");
    static final List<String> ROLES = List.of("web", "app", "db", "mq", "log", "dns", "mail", "build");

    /** A target and its labels. */
    record Target(String name, boolean network, Map<String, String> labels) {
    }

    final List<String> users = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();

    Estate() {
        for (int i = 1; i <= 60; i++) {
            users.add(String.format("op%02d", i));
        }
        for (String site : SITES) {
            for (int i = 1; i <= 25; i++) {
                String env = i % 5 == 0 ? "lab" : "prod";
                targets.add(new Target(String.format("rtr-%s-%02d", site, i), true,
                        Map.of("site", site, "kind", "router", "env", env)));
                targets.add(new Target(String.format("sw-%s-%02d", site, i), true,
                        Map.of("site", site, "kind", "switch", "env", env)));
            }
            for (String role : ROLES) {
                for (int i = 1; i <= 5; i++) {
                    targets.add(new Target(String.format("srv-%s-%s-%02d", role, site, i), false,
                            Map.of("site", site, "kind", "server", "role", role, "env", i == 5 ? "lab" : "prod")));
                }
            }
        }
    }

    String user(Random r) {
        return users.get(r.nextInt(users.size()));
    }

    Target target(Random r) {
        return targets.get(r.nextInt(targets.size()));
    }

    Map<String, String> labels(String target) {
        for (Target t : targets) {
            if (t.name().equals(target)) {
                return t.labels();
            }
        }
        return Map.of();
    }
}
