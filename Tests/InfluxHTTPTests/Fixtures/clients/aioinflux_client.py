"""Debian's python3-aioinflux (aioinflux 0.9) against a server on argv[1]: one line per step
(its answer or its error), then a chunked query read chunk by chunk. RealClientTests runs it
against collectlite and against a throw-away influxd 1.6.7 and compares the lines."""
import asyncio, sys, json
from aioinflux import InfluxDBClient
port = int(sys.argv[1])
async def main():
    async with InfluxDBClient(host='127.0.0.1', port=port, db='aiodb') as c:
        async def step(name, coro):
            try:
                r = await coro
                print(name, json.dumps(r, sort_keys=True, default=str)[:600])
            except Exception as e:
                print(name, 'EXC', type(e).__name__, str(e)[:300])
        await step('create', c.create_database(db='aiodb'))
        await step('write1', c.write({'measurement': 'cpu', 'tags': {'host': 'a b'}, 'fields': {'value': 0.64, 'n': 3}, 'time': 1700000000000000000}))
        await step('write2', c.write('cpu,host=b value=1.5 1700000001000000000\nmem used=2i 1700000002000000000'))
        await step('write3', c.write([{'measurement': 'cpu', 'tags': {'host': 'c'}, 'fields': {'value': 2.0}, 'time': '2023-11-14T22:13:23Z'}]))
        await step('q1', c.query('SELECT * FROM cpu'))
        await step('q2', c.query('SELECT mean(value) FROM cpu WHERE time >= 0 GROUP BY time(1s), host fill(none)'))
        await step('q3', c.query('SELECT * FROM cpu; SELECT * FROM mem', epoch='ms'))
        await step('show', c.show_measurements())
        await step('series', c.show_series())
        await step('tagkeys', c.show_tag_keys())
        await step('fieldkeys', c.show_field_keys())
        await step('tagvalues', c.show_tag_values(key='host'))
        await step('users', c.show_users())
        await step('rps', c.show_retention_policies())
        await step('bad', c.query('SELEC 1'))
        await step('badwrite', c.write('cpu value="x" 1700000003000000000'))
        await step('drop', c.drop_database(db='aiodb'))

async def chunked():
    async with InfluxDBClient(host='127.0.0.1', port=port, db='aiodb3') as c:
        await c.create_database(db='aiodb3')
        await c.write('\n'.join(f'cpu,host=h{i%3} value={i} {1700000000000000000 + i*10**9}' for i in range(7)))
        gen = await c.query('SELECT * FROM cpu', chunked=True, chunk_size=2)
        async for chunk in gen:
            print(json.dumps(chunk, sort_keys=True))
        gen = await c.query('SELECT count(value) FROM cpu GROUP BY host; SELECT nosuch(', chunked=True, chunk_size=1)
        try:
            async for chunk in gen:
                print(json.dumps(chunk, sort_keys=True))
        except Exception as e:
            print('EXC', type(e).__name__, str(e)[:200])
        await c.drop_database(db='aiodb3')

asyncio.run(main())
asyncio.run(chunked())
