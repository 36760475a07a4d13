-- A new event starts at version 0. NX: never moves an existing counter.
redis.call('SET', K_VERSION, 0, 'NX')
return {'ok'}
