#!/usr/bin/env python3
"""Writes queries.txt, the differential suite's query list (then run record.py record)."""
H1 = "time >= 1700000000000ms AND time < 1700003600000ms"
H2 = "time >= 1700003600000ms AND time <= 1700007200000ms"
ALL = "time >= 1700000000000ms AND time <= 1700007200000ms"
M5 = "time >= 1700000600000ms AND time < 1700000900000ms"
M1 = "time >= 1700000000000ms AND time < 1700000060000ms"
HOLE = "time >= 1700002700000ms AND time < 1700003900000ms"
RFC = "time >= '2023-11-14T22:30:00Z' AND time <= '2023-11-14T23:30:00Z'"
ETH = "host = 'alpha' AND instance = 'eth0' AND type = 'if_octets'"
RESET = "time >= 1700003900000ms AND time < 1700004100000ms"
MISC = "time >= 1700000000000ms AND time < 1700000720000ms"
q = []
def add(s): q.append(s)
add("# SHOW statements")
for s in ["SHOW DATABASES", "SHOW MEASUREMENTS", "SHOW MEASUREMENTS LIMIT 2 OFFSET 1",
          "SHOW MEASUREMENTS WITH MEASUREMENT =~ /load_.*/", "SHOW MEASUREMENTS WITH MEASUREMENT = cpu_value",
          "SHOW MEASUREMENTS WHERE host = 'beta'", "SHOW MEASUREMENTS WHERE type_instance = 'user'",
          "db=- SHOW MEASUREMENTS ON collectd", "show measurements", "SHOW MEASUREMENTS ON nope",
          "SHOW TAG KEYS", "SHOW TAG KEYS FROM cpu_value", "SHOW TAG KEYS FROM /interface_.*/", "SHOW TAG KEYS FROM misc",
          "SHOW TAG VALUES WITH KEY = \"host\"", "SHOW TAG VALUES FROM cpu_value WITH KEY = host",
          "SHOW TAG VALUES FROM \"cpu_value\" WITH KEY IN (\"type_instance\", \"instance\")",
          "SHOW TAG VALUES WITH KEY =~ /type/ WHERE host = 'alpha'",
          "SHOW TAG VALUES FROM interface_rx WITH KEY = \"instance\" WHERE \"host\" =~ /^(alpha|beta)$/",
          "SHOW TAG VALUES FROM cpu_value WITH KEY != \"host\" LIMIT 3", "show tag values with key=host;",
          "SHOW TAG VALUES FROM load_shortterm WITH KEY = \"host\" WHERE host !~ /^b/",
          "SHOW FIELD KEYS", "SHOW FIELD KEYS FROM misc", "SHOW FIELD KEYS FROM /load_.*/",
          "SHOW SERIES", "SHOW SERIES FROM load_shortterm", "SHOW SERIES FROM cpu_value WHERE host = 'gamma' AND type_instance = 'idle'",
          "SHOW SERIES LIMIT 5 OFFSET 3", "SHOW SERIES FROM misc",
          "SHOW RETENTION POLICIES", "SHOW RETENTION POLICIES ON collectd", "db=- SHOW RETENTION POLICIES ON \"collectd\"",
          "SHOW RETENTION POLICIES ON nope", "db=nope SHOW TAG KEYS", "db=- SHOW MEASUREMENTS", "db=- SHOW SERIES",
          "db=nope SHOW FIELD KEYS"]:
    add(s)
add("# aggregates")
for s in [f"SELECT count(value) FROM load_shortterm WHERE {H1}",
          f"SELECT count(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT count(value) FROM cpu_value WHERE {H1} GROUP BY host",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(5m), host",
          f"SELECT mean(value) FROM load_shortterm WHERE {ALL} GROUP BY time(10m), host",
          f"SELECT median(value) FROM load_midterm WHERE {H1} GROUP BY time(7m)",
          f"SELECT median(value) FROM load_midterm WHERE {M1} AND host = 'alpha'",
          f"SELECT mode(value) FROM load_longterm WHERE {H1} GROUP BY time(15m), host",
          f"SELECT mode(value) FROM load_longterm WHERE {M1}",
          f"SELECT spread(value) FROM memory_value WHERE {H1} GROUP BY time(20m), type_instance",
          f"SELECT stddev(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT stddev(value) FROM load_shortterm WHERE time >= 1700000000000ms AND time < 1700000010000ms AND host = 'alpha'",
          f"SELECT sum(value) FROM memory_value WHERE {H1} AND host = 'alpha' GROUP BY time(30m)",
          f"SELECT min(value), max(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT max(value) FROM load_shortterm WHERE {H1}",
          f"SELECT max(value) * 10 FROM load_shortterm WHERE {H1}",
          f"SELECT min(value) FROM load_shortterm WHERE {H1} GROUP BY host",
          f"SELECT first(value) FROM cpu_value WHERE {H1} GROUP BY host, type_instance",
          f"SELECT last(value) FROM cpu_value WHERE {H1} GROUP BY *",
          f"SELECT first(value), last(value) FROM load_shortterm WHERE {H1}",
          f"SELECT percentile(value, 95) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT percentile(value, 50) FROM load_shortterm WHERE {H1} AND host = 'alpha'",
          f"SELECT percentile(value, 0) FROM load_shortterm WHERE {M1}",
          f"SELECT percentile(value, 100) FROM load_shortterm WHERE {M1}",
          f"SELECT percentile(value, 99.9) FROM load_shortterm WHERE {H1} GROUP BY host",
          f"SELECT top(value, 3) FROM load_shortterm WHERE {H1}",
          f"SELECT top(value, 2) FROM load_shortterm WHERE {H1} GROUP BY time(20m)",
          f"SELECT bottom(value, 3) FROM load_shortterm WHERE {H1} GROUP BY host",
          f"SELECT bottom(value, 2) FROM misc WHERE {MISC}",
          f"SELECT top(i, 4) FROM misc WHERE {MISC}",
          f"SELECT sample(value, 100000) FROM load_shortterm WHERE {M1}",
          f"SELECT distinct(f) FROM misc WHERE {MISC}",
          f"SELECT distinct(f) FROM misc WHERE {MISC} GROUP BY k",
          f"SELECT distinct(s) FROM misc WHERE {MISC}",
          f"SELECT count(distinct(f)) FROM misc WHERE {MISC}",
          f"SELECT count(i), sum(i), mean(i), median(i), spread(i), mode(i) FROM misc WHERE {MISC} GROUP BY k",
          f"SELECT min(i), max(i), first(i), last(i) FROM misc WHERE {MISC}",
          f"SELECT count(s), first(s), last(s), mode(s) FROM misc WHERE {MISC}",
          f"SELECT count(b), first(b), last(b) FROM misc WHERE {MISC} GROUP BY k",
          f"SELECT mean(f) FROM misc WHERE {MISC} GROUP BY time(3m) fill(linear)",
          f"SELECT integral(value) FROM load_shortterm WHERE {H1} AND host = 'alpha'",
          f"SELECT integral(value, 1m) FROM load_shortterm WHERE {H1} AND host = 'alpha' GROUP BY time(10m)",
          f"SELECT integral(value) FROM load_shortterm WHERE {H1} GROUP BY time(7m), host",
          f"SELECT integral(i, 1m) FROM misc WHERE {MISC} GROUP BY k",
          f"SELECT mean(value) FROM cpu_value WHERE {RFC} AND host = 'beta' GROUP BY time(10m), instance, type_instance",
          f"SELECT mean(*) FROM misc WHERE {MISC}",
          f"SELECT count(*) FROM misc WHERE {MISC}",
          ]:
    add(s)
add("# transformations")
for s in [f"SELECT derivative(value) FROM interface_rx WHERE {ETH} AND {M1}",
          f"SELECT derivative(value, 1m) FROM interface_rx WHERE {ETH} AND {M1}",
          f"SELECT non_negative_derivative(value, 1s) FROM interface_rx WHERE {ETH} AND {RESET}",
          f"SELECT derivative(value, 1s) FROM interface_rx WHERE {ETH} AND {RESET}",
          f"SELECT difference(value) FROM interface_rx WHERE {ETH} AND {RESET}",
          f"SELECT non_negative_difference(value) FROM interface_rx WHERE {ETH} AND {RESET}",
          f"SELECT derivative(mean(value), 1s) FROM interface_rx WHERE {ETH} AND {H1} GROUP BY time(1m)",
          f"SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_rx\" WHERE (\"host\" =~ /^alpha$/ AND \"type\" = 'if_octets') AND time >= 1700003000000ms and time <= 1700004800000ms GROUP BY time(1m), \"instance\" fill(null)",
          f"SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_tx\" WHERE \"type\" = 'if_octets' AND {H2} GROUP BY time(5m), \"host\", \"instance\" fill(null)",
          f"SELECT non_negative_derivative(max(value)) FROM interface_rx WHERE {ETH} AND {RESET} GROUP BY time(30s) fill(none)",
          f"SELECT non_negative_derivative(mean(value), 1s) FROM interface_rx WHERE host = 'gamma' AND instance = 'eth0' AND type = 'if_octets' AND {HOLE} GROUP BY time(2m) fill(null)",
          f"SELECT non_negative_derivative(mean(value), 1s) FROM interface_rx WHERE host = 'gamma' AND instance = 'eth0' AND type = 'if_octets' AND {HOLE} GROUP BY time(2m) fill(0)",
          f"SELECT derivative(mean(value)) FROM interface_rx WHERE host = 'gamma' AND instance = 'eth0' AND type = 'if_octets' AND {HOLE} GROUP BY time(2m) fill(previous)",
          f"SELECT mean(value), non_negative_derivative(mean(value), 1s) FROM interface_rx WHERE host = 'gamma' AND instance = 'eth0' AND type = 'if_octets' AND {HOLE} GROUP BY time(2m) fill(none)",
          f"SELECT moving_average(value, 3) FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT moving_average(mean(value), 4) FROM load_shortterm WHERE {H1} GROUP BY time(5m)",
          f"SELECT cumulative_sum(value) FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT cumulative_sum(sum(value)) FROM load_shortterm WHERE {H1} GROUP BY time(10m), host",
          f"SELECT elapsed(value) FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT elapsed(value, 1s) FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT elapsed(mean(value), 1m) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT difference(mean(value)) FROM load_shortterm WHERE {H1} GROUP BY time(10m) fill(previous)",
          f"SELECT difference(max(value)), non_negative_difference(max(value)) FROM load_shortterm WHERE {H1} GROUP BY time(10m)",
          f"SELECT derivative(i) FROM misc WHERE k = 'x' AND {MISC}",
          f"SELECT difference(i), cumulative_sum(i) FROM misc WHERE k = 'x' AND {MISC}",
          f"SELECT derivative(mean(value), 10s) FROM load_shortterm WHERE host = 'alpha' AND {M5} GROUP BY time(1m)",
          f"SELECT derivative(value) FROM interface_rx WHERE {ETH} AND {M1} ORDER BY time DESC",
          ]:
    add(s)
add("# fill modes")
for f in ["null", "none", "previous", "linear", "0", "-1.5", "100"]:
    add(f"SELECT mean(value) FROM load_shortterm WHERE host = 'gamma' AND {HOLE} GROUP BY time(2m) fill({f})")
for f in ["null", "none", "7"]:
    add(f"SELECT count(value) FROM load_shortterm WHERE host = 'gamma' AND {HOLE} GROUP BY time(2m) fill({f})")
add(f"SELECT mean(value) FROM load_shortterm WHERE {ALL} GROUP BY time(15m), host fill(null)")
add(f"SELECT max(value) FROM load_shortterm WHERE {ALL} GROUP BY time(15m), host fill(previous)")
add(f"SELECT mean(value) FROM load_shortterm WHERE {ALL} GROUP BY time(15m), host fill(linear)")
add(f"SELECT sum(i) FROM misc WHERE {MISC} GROUP BY time(2m30s) fill(0)")
add("# GROUP BY forms")
for s in [f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m, 2m)",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(1h, -15m)",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(90s) LIMIT 5",
          f"SELECT mean(value) FROM load_shortterm WHERE time >= 1700000123000ms AND time < 1700003600000ms GROUP BY time(1h)",
          f"SELECT mean(value) FROM load_shortterm WHERE {ALL} GROUP BY time(1d)",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m) ORDER BY time DESC",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m) LIMIT 3 OFFSET 2",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m), host SLIMIT 2 SOFFSET 1",
          f"SELECT mean(value) FROM load_shortterm WHERE time >= 1700006000000ms GROUP BY time(10m) fill(none)",
          f"SELECT mean(value) FROM load_shortterm WHERE time < 1700001200000ms GROUP BY time(5m)",
          f"SELECT mean(value) FROM cpu_value WHERE {H1} AND host = 'alpha' GROUP BY /inst/",
          f"SELECT mean(value) FROM interface_rx WHERE {H1} GROUP BY \"host\", \"instance\", \"type\"",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY nosuchtag",
          f"SELECT max(value) FROM /load_.*/ WHERE {H1} GROUP BY time(30m)",
          f"SELECT mean(value) FROM load_shortterm, load_midterm WHERE {H1} GROUP BY host",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m), host LIMIT 2",
          ]:
    add(s)
add("# WHERE forms")
for s in [f"SELECT count(value) FROM load_shortterm WHERE host = 'alpha' AND {H1}",
          f"SELECT count(value) FROM load_shortterm WHERE host != 'alpha' AND {H1}",
          f"SELECT count(value) FROM load_shortterm WHERE host =~ /^(alpha|beta)$/ AND {H1} GROUP BY host",
          f"SELECT count(value) FROM load_shortterm WHERE host !~ /a$/ AND {H1} GROUP BY host",
          f"SELECT count(value) FROM load_shortterm WHERE (host = 'alpha' OR host = 'gamma') AND {H1} GROUP BY host",
          f"SELECT count(value) FROM load_shortterm WHERE value > 2 AND {H1} GROUP BY host",
          f"SELECT count(value) FROM load_shortterm WHERE value > 1 AND value < 2 AND {H1}",
          f"SELECT count(value) FROM load_shortterm WHERE (value > 2.5 OR host = 'beta') AND {H1} GROUP BY host",
          f"SELECT count(value) FROM load_shortterm WHERE time > now() - 1h",
          f"SELECT value FROM load_shortterm WHERE time > now() - 1h",
          f"SELECT count(value) FROM load_shortterm WHERE time >= '2023-11-14T22:13:20Z' AND time < '2023-11-14T22:23:20Z'",
          f"SELECT count(value) FROM load_shortterm WHERE time >= '2023-11-14 22:13:20' AND time < '2023-11-14 22:23:20.5'",
          f"SELECT count(value) FROM load_shortterm WHERE time >= 1700000000s AND time < 1700000600s",
          f"SELECT count(value) FROM load_shortterm WHERE time >= 1700000000000000000 AND time < 1700000600000000000",
          f"SELECT count(value) FROM load_shortterm WHERE time > 1700000000000ms - 1m AND time < 1700000000000ms + 10m",
          f"SELECT count(value) FROM load_shortterm WHERE 1700000000000ms <= time AND 1700000600000ms > time",
          f"SELECT count(value) FROM load_shortterm WHERE instance = '' AND {H1}",
          f"SELECT count(value) FROM cpu_value WHERE \"host\" = 'alpha' AND \"type_instance\" = 'user' AND {H1}",
          f"SELECT count(value) FROM cpu_value WHERE type_instance =~ /user|system/ AND {H1} GROUP BY type_instance",
          f"SELECT value FROM load_shortterm WHERE time = 1700000010004943000",
          f"SELECT * FROM misc WHERE s = 'up' AND {MISC}",
          f"SELECT * FROM misc WHERE b = true AND {MISC}",
          f"SELECT i FROM misc WHERE i > 5 AND {MISC}",
          f"SELECT f FROM misc WHERE f <= 2 AND k = 'y' AND {MISC}",
          f"SELECT value FROM load_shortterm WHERE host = 'nosuch' AND {H1}",
          f"SELECT value FROM load_shortterm WHERE value * 2 > 5.9 AND {H1}",
          ]:
    add(s)
add("# raw selects")
for s in [f"SELECT value FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT * FROM misc WHERE {MISC} LIMIT 5",
          f"SELECT * FROM load_shortterm WHERE {M1}",
          f"SELECT value, host FROM load_shortterm WHERE {M1}",
          f"SELECT \"value\" * 8 FROM interface_rx WHERE {ETH} AND {M1}",
          f"SELECT value / 1024 AS kb FROM memory_value WHERE host = 'alpha' AND {M1}",
          f"SELECT value FROM load_shortterm, load_midterm WHERE {M1}",
          f"SELECT value FROM /load_.*/ WHERE {M1} LIMIT 2",
          f"SELECT value FROM load_shortterm WHERE {H1} GROUP BY host LIMIT 3",
          f"SELECT value FROM load_shortterm WHERE {H1} ORDER BY time DESC LIMIT 5",
          f"SELECT value FROM load_shortterm WHERE {H1} LIMIT 3 OFFSET 10",
          f"SELECT value FROM \"collectd\".\"autogen\".\"load_shortterm\" WHERE {M1}",
          f"SELECT value FROM \"autogen\".\"load_shortterm\" WHERE {M1}",
          f"SELECT value FROM collectd..load_shortterm WHERE {M1}",
          f"SELECT i, s, b, f FROM misc WHERE k = 'x' LIMIT 4",
          f"SELECT value::field, host::tag FROM load_shortterm WHERE {M1}",
          f"SELECT value FROM load_shortterm WHERE {H1} GROUP BY host SLIMIT 1 SOFFSET 1 LIMIT 2",
          f"SELECT * FROM load_shortterm WHERE {M1} GROUP BY host",
          f"SELECT *::field FROM misc WHERE {MISC} LIMIT 3",
          f"SELECT value, value FROM load_shortterm WHERE host = 'beta' AND time >= 1700001800000ms AND time < 1700001830000ms",
          f"SELECT /v/ FROM load_shortterm WHERE host = 'alpha' AND {M1}",
          f"SELECT value FROM nosuch WHERE {M1}",
          f"select VALUE from load_shortterm where host='alpha' and {M1}",
          f"SELECT value FROM load_shortterm WHERE host = 'alpha'  AND  {M1};",
          ]:
    add(s)
add("# column naming and math")
for s in [f"SELECT mean(value), mean(value) FROM load_shortterm WHERE {H1}",
          f"SELECT mean(value) AS mean_1, mean(value), mean(value) FROM load_shortterm WHERE {H1}",
          f"SELECT mean(value) AS m, max(value) AS x FROM load_shortterm WHERE {H1}",
          f"SELECT mean(value) * 2, max(value) - min(value) FROM load_shortterm WHERE {H1} GROUP BY time(20m)",
          f"SELECT mean(value) + mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(20m)",
          f"SELECT (max(value) - min(value)) / 2 AS half_range FROM load_shortterm WHERE {H1} GROUP BY host",
          f"SELECT count(value) / 6 FROM load_shortterm WHERE {H1} GROUP BY time(30m)",
          f"SELECT max(value), min(value), max(value) FROM load_shortterm WHERE {H1}",
          ]:
    add(s)
add("# epochs")
for e in ["ns", "n", "u", "µ", "ms", "s", "m", "h"]:
    add(f"epoch={e} SELECT value FROM load_shortterm WHERE host = 'alpha' AND time >= 1700000000000ms AND time < 1700000030000ms")
for e in ["ns", "ms", "s", "h"]:
    add(f"epoch={e} SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(20m)")
add("# Grafana dashboard shapes")
for s in [f"epoch=ms SELECT mean(\"value\") FROM \"cpu_value\" WHERE (\"host\" =~ /^alpha$/ AND \"type_instance\" = 'user') AND time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(1m) fill(null)",
          f"epoch=ms SELECT mean(\"value\") FROM \"autogen\".\"load_shortterm\" WHERE time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(1m), \"host\" fill(null)",
          f"epoch=ms SELECT max(\"value\") FROM \"cpu_value\" WHERE time >= 1700000000000ms and time <= 1700007200000ms GROUP BY time(1h), \"host\" fill(null)",
          f"epoch=ms SELECT mean(\"value\") FROM \"memory_value\" WHERE (\"host\" =~ /^(alpha|gamma)$/) AND time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(5m), \"type_instance\" fill(null)",
          f"epoch=ms SELECT non_negative_derivative(mean(\"value\"), 1s) FROM \"cpu_value\" WHERE (\"host\" =~ /^beta$/) AND time >= 1700003600000ms and time <= 1700007200000ms GROUP BY time(1m), \"type_instance\" fill(null)",
          ]:
    add(s)
add("# errors")
for s in [f"SELECT value FROM nope.autogen.x WHERE {M1}",
          f"db=nope SELECT value FROM load_shortterm WHERE {M1}",
          f"db=- SELECT value FROM load_shortterm WHERE {M1}",
          f"SELECT mean(value), value FROM load_shortterm WHERE {H1}",
          f"SELECT derivative(mean(value)) FROM load_shortterm WHERE {H1}",
          f"SELECT derivative(value) FROM load_shortterm WHERE {H1} GROUP BY time(1m)",
          f"SELECT value FROM load_shortterm WHERE {H1} GROUP BY time(1m)",
          f"SELECT top(value, 1), max(value) FROM load_shortterm WHERE {H1}",
          f"SELECT foo(value) FROM load_shortterm WHERE {H1}",
          f"SELECT percentile(value) FROM load_shortterm WHERE {H1}",
          f"SELECT top(value) FROM load_shortterm WHERE {H1}",
          f"SELECT moving_average(value) FROM load_shortterm WHERE {H1}",
          f"SELECT value FROM \"autogen2\".\"load_shortterm\" WHERE {M1}",
          "SELEC", "SELECT FROM load_shortterm", "SELECT value FROM", "SELECT * FROM cpu_value WHERE",
          "SELECT value FROM load_shortterm WHERE time > 'bogus'",
          "SELECT mean(value) FROM load_shortterm GROUP BY time(1m) fill(bogus)",
          f"SELECT count(value) FROM load_shortterm WHERE {H1}; SELECT count(value) FROM load_midterm WHERE {H1}",
          f"SELECT count(value) FROM load_shortterm WHERE {H1}; SELECT count(value) FROM nope.autogen.x",
          ]:
    add(s)
add("# subqueries")
for s in [f"SELECT max(mean) FROM (SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m), host)",
          f"SELECT max(mean) FROM (SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m), host) GROUP BY host",
          f"SELECT mean(value) FROM (SELECT value FROM load_shortterm WHERE host = 'alpha' AND {M5})",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu_value WHERE {H1} GROUP BY host, instance, type_instance) GROUP BY host",
          f"SELECT mean(d) FROM (SELECT non_negative_derivative(mean(value), 1s) AS d FROM interface_rx WHERE type = 'if_octets' AND {H1} GROUP BY time(5m), host, instance) WHERE {H1} GROUP BY time(30m), host",
          f"SELECT * FROM (SELECT mean(value) AS m FROM load_shortterm WHERE {H1} GROUP BY time(30m), host) WHERE m > 2",
          f"SELECT count(m) FROM (SELECT mean(value) AS m FROM load_shortterm WHERE {H1} GROUP BY time(30m), host)",
          ]:
    add(s)
add("# top/bottom with tags, misc")
for s in [f"SELECT top(value, host, 2) FROM load_shortterm WHERE {H1}",
          f"SELECT bottom(value, host, 1) FROM load_shortterm WHERE {H1} GROUP BY time(30m)",
          f"SELECT mean(value) FROM load_shortterm WHERE {H1} GROUP BY time(30m) tz('UTC')",
          f"SELECT last(value) FROM load_shortterm WHERE {H1} GROUP BY host ORDER BY time DESC",
          f"SELECT count(value) FROM load_shortterm WHERE {H1} GROUP BY time(20m), host ORDER BY time DESC LIMIT 2",
          f"SELECT spread(value), stddev(value), median(value) FROM memory_value WHERE {H1} GROUP BY type_instance",
          f"SELECT moving_average(value, 2) FROM misc WHERE k = 'x' AND {MISC}",
          f"SELECT mean(value) FROM cpu_value WHERE {H1} AND (type_instance = 'user' OR type_instance = 'system') AND host = 'beta' GROUP BY time(15m), instance fill(linear)",
          ]:
    add(s)
add("# Grafana forms and type errors")
for s in [f"SELECT mean(value) FROM load_shortterm WHERE host = 'alpha' AND time >= 1700000000000ms AND time < 1700000005000ms GROUP BY time(200ms) fill(none)",
          "SHOW MEASUREMENTS LIMIT 1",
          "SHOW TAG VALUES FROM \"cpu_value\" WITH KEY = \"type_instance\" WHERE \"host\" =~ /^alpha$/",
          "SHOW TAG VALUES FROM cpu_value WITH KEY = \"instance\" WHERE host =~ /^(alpha|gamma)$/ AND type_instance = 'idle'",
          "SHOW TAG VALUES WITH KEY = \"host\" WHERE host =~ /^al.*/",
          "SHOW MEASUREMENTS WITH MEASUREMENT =~ /^(cpu|memory)_value$/",
          f"SELECT mean(s) FROM misc WHERE {MISC}",
          f"SELECT sum(b) FROM misc WHERE {MISC}",
          f"SELECT derivative(s) FROM misc WHERE {MISC}",
          f"SELECT mean(value) FROM load_shortterm WHERE host =~ /^$/ AND {H1}",
          f"SELECT mean(value) FROM load_shortterm WHERE host =~ /^(alpha|be\\.ta)$/ AND {H1} GROUP BY host",
          f"SELECT mean(value) FROM load_shortterm WHERE host !~ /^(alpha|beta)$/ AND {H1} GROUP BY host",
          f"SELECT last(value) FROM cpu_value WHERE host = 'alpha' AND {H1} GROUP BY type_instance, instance",
          f"SELECT mean(value) FROM interface_rx, interface_tx WHERE host = 'beta' AND type = 'if_packets' AND {H2} GROUP BY time(30m), instance",
          f"epoch=ms SELECT max(value) FROM load_shortterm WHERE {H1} GROUP BY time(10m, 30s) fill(previous)",
          f"epoch=s SELECT first(value), last(value), count(value) FROM memory_value WHERE {H2} GROUP BY time(1h), type_instance",
          ]:
    add(s)
add("# mutations (run last, in order)")
for s in ["CREATE DATABASE other", "SHOW DATABASES", "DROP DATABASE other", "SHOW DATABASES",
          "DELETE FROM load_longterm WHERE host = 'gamma' AND time < 1700003600000ms",
          "SELECT count(value) FROM load_longterm WHERE time >= 1700000000000ms AND time <= 1700007200000ms GROUP BY host",
          "DROP SERIES FROM load_midterm WHERE host = 'beta'", "SHOW SERIES FROM load_midterm",
          "DROP MEASUREMENT memory_value", "SHOW MEASUREMENTS"]:
    add(s)
open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "queries.txt"), "w").write("\n".join(q) + "\n")
print(sum(1 for x in q if not x.startswith("#")))
