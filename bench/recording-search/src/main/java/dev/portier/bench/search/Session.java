package dev.portier.bench.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The content of one synthetic session: what a network or server operator types and what the target prints,
 * with the noise real sessions have (colours in prompts and listings, counters, addresses, PIDs, times).
 * {@link #steps} lists commands with their output lines; rare markers are planted by the caller.
 */
final class Session {
    /** One command and the lines it printed. */
    record Step(String command, List<String> output) {
    }

    private Session() {
    }

    static List<Step> network(Random r, String host, int lines) {
        List<Step> steps = new ArrayList<>();
        int n = 0;
        while (n < lines) {
            Step s = switch (r.nextInt(9)) {
                case 0 -> new Step("show ip interface brief", ipBrief(r));
                case 1 -> new Step("show running-config | section interface", runningInterfaces(r));
                case 2 -> new Step("show logging | last 20", logging(r, host));
                case 3 -> new Step("show version", version(r, host));
                case 4 -> new Step("ping " + ip(r), ping(r));
                case 5 -> new Step("show interfaces GigabitEthernet0/" + r.nextInt(48) + " counters errors",
                        counters(r));
                case 6 -> new Step("show bgp ipv4 unicast summary", bgp(r));
                case 7 -> new Step("configure terminal",
                        List.of("Enter configuration commands, one per line.  End with CNTL/Z."));
                default -> new Step("show ip route " + ip(r), List.of("Routing entry for " + ip(r) + "/24",
                        "  Known via \"ospf 1\", distance 110, metric " + r.nextInt(200),
                        "  Last update from " + ip(r) + " on GigabitEthernet0/" + r.nextInt(48) + ", "
                                + r.nextInt(24) + ":" + String.format("%02d", r.nextInt(60)) + " ago"));
            };
            steps.add(s);
            n += 1 + s.output().size();
        }
        return steps;
    }

    static List<Step> server(Random r, String host, int lines) {
        List<Step> steps = new ArrayList<>();
        int n = 0;
        String[] units = {"nginx", "postgresql", "rabbitmq-server", "sshd", "cron", "docker", "node-exporter"};
        while (n < lines) {
            String unit = units[r.nextInt(units.length)];
            Step s = switch (r.nextInt(10)) {
                case 0 -> new Step("uptime", List.of(String.format(
                        " %02d:%02d:%02d up %d days,  2 users,  load average:"
                        + " %.2f, %.2f, %.2f", r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(400),
                        r.nextDouble() * 4, r.nextDouble() * 4, r.nextDouble() * 4)));
                case 1 -> new Step("df -h", df(r));
                case 2 -> new Step("sudo systemctl status " + unit, status(r, unit, host));
                case 3 -> new Step("journalctl -u " + unit + " -n 25 --no-pager", journal(r, unit, host, 25));
                case 4 -> new Step("ps aux --sort=-%cpu | head -20", ps(r));
                case 5 -> new Step("ls -la /var/log", ls(r));
                case 6 -> new Step("tail -n 30 /var/log/syslog", journal(r, unit, host, 30));
                case 7 -> new Step("ip -br addr", List.of("lo               UNKNOWN        127.0.0.1/8 ::1/128",
                        "eth0             UP             " + ip(r) + "/24 fe80::" + hex(r, 4) + ":" + hex(r, 4) + "/64",
                        "docker0          DOWN           172.17.0.1/16"));
                case 8 -> new Step("grep -i error /var/log/app/" + unit + ".log | tail -5", errors(r, unit));
                default -> new Step("sudo systemctl restart " + unit, List.of());
            };
            steps.add(s);
            n += 1 + s.output().size();
        }
        return steps;
    }

    private static List<String> ipBrief(Random r) {
        List<String> out = new ArrayList<>(
                List.of("Interface              IP-Address      OK? Method Status                Protocol"));
        for (int i = 0; i < 8 + r.nextInt(20); i++) {
            boolean up = r.nextInt(6) > 0;
            out.add(String.format("GigabitEthernet0/%-6d %-15s YES NVRAM  %-21s %s", i, up ? ip(r) : "unassigned",
                    up ? "up" : "administratively down", up ? "up" : "down"));
        }
        return out;
    }

    private static List<String> runningInterfaces(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4 + r.nextInt(10); i++) {
            out.add("interface GigabitEthernet0/" + i);
            out.add(" description " + (r.nextBoolean() ? "uplink to " : "customer ") + "cid-" + hex(r, 6));
            out.add(" ip address " + ip(r) + " 255.255.255.0");
            if (r.nextBoolean()) {
                out.add(" shutdown");
            }
            out.add("!");
        }
        return out;
    }

    private static List<String> logging(Random r, String host) {
        List<String> out = new ArrayList<>();
        String[] msgs = {"%%LINK-3-UPDOWN: Interface GigabitEthernet0/%d, changed state to down",
            "%%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/%d, changed state to up",
            "%%SYS-5-CONFIG_I: Configured from console by admin on vty%d", "%%OSPF-5-ADJCHG: Process 1, Nbr 10.0.0.%d"
                + " on GigabitEthernet0/1 from LOADING to FULL", "%%SEC-6-IPACCESSLOGP: list 101 denied tcp 10.9.8.%d"};
        for (int i = 0; i < 20; i++) {
            out.add(String.format("*%s %2d %02d:%02d:%02d.%03d: ", month(r), 1 + r.nextInt(28), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60), r.nextInt(1000)) + String.format(msgs[r.nextInt(msgs.length)],
                    r.nextInt(48)));
        }
        return out;
    }

    private static List<String> version(Random r, String host) {
        return List.of("Cisco IOS XE Software, Version 17.09.0" + (1 + r.nextInt(4)),
                "ROM: IOS-XE ROMMON", host + " uptime is " + r.nextInt(300) + " weeks, " + r.nextInt(7) + " days",
                "System image file is \"bootflash:packages.conf\"", "cisco ISR4451-X/K9 (2RU) processor with "
                + (1000000 + r.nextInt(9000000)) + "K/6147K bytes of memory.", "Processor board ID FGL" + hex(r, 8)
                .toUpperCase(Locale.ROOT), "4 Gigabit Ethernet interfaces", "Configuration register is 0x2102");
    }

    private static List<String> ping(Random r) {
        return List.of("Type escape sequence to abort.", "Sending 5, 100-byte ICMP Echos, timeout is 2 seconds:",
                "!!!!!", "Success rate is 100 percent (5/5), round-trip min/avg/max = " + r.nextInt(3) + "/"
                + (1 + r.nextInt(5)) + "/" + (2 + r.nextInt(20)) + " ms");
    }

    private static List<String> counters(Random r) {
        return List.of("Port        Align-Err     FCS-Err    Xmit-Err     Rcv-Err  UnderSize  OutDiscards",
                String.format("Gi0/%-8d %9d %11d %11d %11d %10d %12d", r.nextInt(48), r.nextInt(5), r.nextInt(50),
                        r.nextInt(5), r.nextInt(90), 0, r.nextInt(1000)));
    }

    private static List<String> bgp(Random r) {
        List<String> out = new ArrayList<>(List.of("BGP router identifier " + ip(r) + ", local AS number 65001",
                "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"));
        for (int i = 0; i < 3 + r.nextInt(10); i++) {
            out.add(String.format("%-15s 4 %10d %7d %7d %8d %4d %4d %8s %d", ip(r), 64512 + r.nextInt(1000),
                    r.nextInt(99999), r.nextInt(99999), r.nextInt(9999), 0, 0, r.nextInt(50) + "w" + r.nextInt(7) + "d",
                    r.nextInt(800000)));
        }
        return out;
    }

    private static List<String> df(Random r) {
        return List.of("Filesystem      Size  Used Avail Use% Mounted on", "udev            3.9G     0  3.9G   0% /dev",
                String.format("/dev/vda1        %dG   %dG   %dG  %d%% /", 40 + r.nextInt(200), r.nextInt(40),
                        r.nextInt(160),
                        r.nextInt(100)), "tmpfs           797M  1.2M  796M   1% /run",
                String.format("/dev/vdb1       %dG  %dG  %dG  %d%% /var/lib/data", 100 + r.nextInt(900), r.nextInt(100),
                        r.nextInt(800), r.nextInt(100)));
    }

    private static List<String> status(Random r, String unit, String host) {
        List<String> out = new ArrayList<>(List.of("\u001b[0;1;32m\u25cf\u001b[0m " + unit + ".service - " + unit,
                "     Loaded: loaded (/lib/systemd/system/" + unit + ".service; enabled; vendor preset: enabled)",
                "     Active: \u001b[0;1;32mactive (running)\u001b[0m since " + day(r) + "; " + r.nextInt(90)
                        + " days ago",
                "   Main PID: " + (1000 + r.nextInt(60000)) + " (" + unit + ")", "      Tasks: " + r.nextInt(64)
                + " (limit: 9402)", "     Memory: " + r.nextInt(900) + "." + r.nextInt(10) + "M"));
        out.addAll(journal(r, unit, host, 5));
        return out;
    }

    private static List<String> journal(Random r, String unit, String host, int n) {
        String[] msgs = {"Started %s.service.", "Reloading %s configuration", "worker process %d exited on signal 15",
            "connection from 10.%d.4.7 port 51234", "error: could not connect to upstream %d", "checkpoint complete:"
                + " wrote %d buffers", "Accepted publickey for deploy from 10.1.2.%d port 4022 ssh2"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String m = msgs[r.nextInt(msgs.length)];
            out.add(String.format("%s %2d %02d:%02d:%02d %s %s[%d]: ", month(r), 1 + r.nextInt(28), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60), host, unit, 1000 + r.nextInt(60000))
                    + (m.contains("%s") ? String.format(m, unit) : String.format(m, r.nextInt(255))));
        }
        return out;
    }

    private static List<String> ps(Random r) {
        List<String> out = new ArrayList<>(
                List.of("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"));
        String[] cmds = {"/usr/sbin/nginx -g daemon on;", "postgres: checkpointer", "/usr/bin/dockerd -H fd://",
            "/usr/lib/erlang/erts-13.2/bin/beam.smp", "java -Xmx2g -jar /opt/app/app.jar", "/usr/sbin/sshd -D",
            "node /srv/app/server.js", "/usr/bin/python3 /usr/bin/unattended-upgrade"};
        for (int i = 0; i < 19; i++) {
            out.add(String.format("%-8s %7d %4.1f %4.1f %6d %5d ?        Ssl  %s   %d:%02d %s",
                    r.nextBoolean() ? "root" : "www-data", 1 + r.nextInt(90000), r.nextDouble() * 50,
                    r.nextDouble() * 20,
                    r.nextInt(900000), r.nextInt(90000), month(r), r.nextInt(90), r.nextInt(60),
                    cmds[r.nextInt(cmds.length)]));
        }
        return out;
    }

    private static List<String> ls(Random r) {
        List<String> out = new ArrayList<>(List.of("total " + r.nextInt(90000)));
        String[] files = {"syslog", "auth.log", "kern.log", "dpkg.log", "nginx", "postgresql", "apt", "journal",
            "btmp", "wtmp", "lastlog", "cloud-init.log"};
        for (String f : files) {
            boolean dir = !f.contains(".") && !f.endsWith("log") && !f.endsWith("tmp");
            out.add(String.format("%s %2d root adm %8d %s %2d %02d:%02d %s", dir ? "drwxr-xr-x" : "-rw-r-----",
                    1 + r.nextInt(4), r.nextInt(9000000), month(r), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60),
                    dir ? "\u001b[01;34m" + f + "\u001b[0m" : f + (r.nextBoolean() ? "." + r.nextInt(9) : "")));
        }
        return out;
    }

    private static List<String> errors(Random r, String unit) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(day(r) + " ERROR [" + unit + "-worker-" + r.nextInt(16) + "] request " + hex(r, 8)
                    + " failed: timeout after " + r.nextInt(30000) + " ms");
        }
        return out;
    }

    static String ip(Random r) {
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String hex(Random r, int digits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static String month(Random r) {
        return List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
                .get(r.nextInt(12));
    }

    private static String day(Random r) {
        return String.format("2026-%02d-%02d %02d:%02d:%02d", 1 + r.nextInt(11), 1 + r.nextInt(28), r.nextInt(24),
                r.nextInt(60), r.nextInt(60));
    }
}
