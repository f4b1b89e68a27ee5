# The Ruby client of Debian's ruby-influxdb (influxdb-ruby) against a server on ARGV[0]: one line
# per step (its answer or its error). RealClientTests runs it against collectlite and against a
# throw-away influxd 1.6.7 and compares the lines.
require 'influxdb'
port = ARGV[0].to_i
c = InfluxDB::Client.new(host: '127.0.0.1', port: port, database: 'rubydb2', time_precision: 'ms', retry: 0)
# The steps before dropping the default policy, then again with a second database.
def step(name)
  r = yield
  puts [name, r].inspect
rescue => e
  puts [name, 'EXC', e.class.to_s, e.message].inspect
end
step('create') { c.create_database('rubydb2') }
step('write') { c.write_point('cpu', {values: {value: 0.64, count: 3}, tags: {host: 'a b'}, timestamp: 1700000000000}) }
step('user') { c.create_cluster_admin('admin2', 'pw') }
step('dbuser') { c.create_database_user('rubydb2', 'bob', 'pw', permissions: :read) }
step('users') { c.list_users }
step('grants') { c.list_user_grants('bob') }
step('grant') { c.grant_user_privileges('bob', 'rubydb2', :write) }
step('grants2') { c.list_user_grants('bob') }
step('revoke') { c.revoke_user_privileges('bob', 'rubydb2', :write) }
step('pw') { c.update_user_password('bob', 'pw2') }
step('deluser') { c.delete_user('bob') }
step('deladmin') { c.delete_user('admin2') }
step('cqs') { c.list_continuous_queries('rubydb2') }
step('cq') { c.create_continuous_query('cq1', 'rubydb2', 'SELECT mean(value) INTO cpu_1m FROM cpu GROUP BY time(1m)', resample_every: '2m', resample_for: '10m') }
step('cqs2') { c.list_continuous_queries('rubydb2') }
step('delcq') { c.delete_continuous_query('cq1', 'rubydb2') }
step('rp') { c.create_retention_policy('week', 'rubydb2', '7d', 1, true, shard_duration: '1d') }
step('altrp') { c.alter_retention_policy('week', 'rubydb2', '14d', 1, false) }
step('rps') { c.list_retention_policies('rubydb2') }
step('delrp') { c.delete_retention_policy('week', 'rubydb2') }
step('bad') { c.query('SELEC 1') }
step('badwrite') { c.write_point('cpu', {values: {value: 'str'}}) }
step('badwrite2') { c.write_point('cpu', {values: {}}) }
step('ping') { c.ping.class.to_s }
step('series') { c.list_series }
step('chunked') { InfluxDB::Client.new(host: '127.0.0.1', port: port, database: 'rubydb2', chunk_size: 1, retry: 0).query('SELECT * FROM cpu') }
step('epoch') { InfluxDB::Client.new(host: '127.0.0.1', port: port, database: 'rubydb2', epoch: 's', retry: 0).query('SELECT * FROM cpu') }
step('denormalize') { c.query('SELECT * FROM cpu', denormalize: false) }
step('rawpoints') { c.write('cpu,host=raw value=2 1700000005000', 'ms') }
step('after') { c.query('SELECT count(value) FROM cpu') }
step('drop') { c.delete_database('rubydb2') }
