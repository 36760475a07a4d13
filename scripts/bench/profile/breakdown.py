"""CPU by component from async-profiler collapsed stacks: each sample goes to the innermost frame that names
a component (so 'vertx-core' is Vert.x's own code, not what it calls). Then the hottest frames."""
import collections
import sys

COMPONENTS = [
    ('JIT compiler', 'CompileBroker'), ('GC', 'G1'), ('GC', 'GC'),
    ('Micrometer (HTTP meters)', 'io/micrometer'), ('Micrometer (HTTP meters)', 'io/vertx/micrometer'),
    ('JSON-schema validation', 'io/vertx/json/schema'), ('JWT', 'io/vertx/ext/auth'),
    ('Jackson', 'com/fasterxml/jackson'), ('Vert.x JSON', 'io/vertx/core/json'), ('Redis client', 'io/vertx/redis'),
    ('PostgreSQL client', 'io/vertx/pgclient'), ('PostgreSQL client', 'io/vertx/sqlclient'),
    ('event bus', 'io/vertx/core/eventbus'), ('write syscalls', '__GI_write'), ('write syscalls', 'writev'),
    ('read syscalls', '__GI_read'), ('epoll', 'epoll_wait'), ('Netty HTTP codec', 'io/netty/handler/codec/http'),
    ('Vert.x HTTP', 'io/vertx/core/http'), ('Vert.x Web', 'io/vertx/ext/web'), ('Ticket Rush', 'dev/ticketrush'),
    ('Netty', 'io/netty'), ('Vert.x core', 'io/vertx/core'), ('JDK', 'java/'), ('JDK', 'jdk/'), ('JDK', 'sun/'),
]


def main(path, top=15):
    total, by_component, by_frame = 0, collections.Counter(), collections.Counter()
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(' ')
        n = int(n)
        total += n
        frames = stack.split(';')
        by_frame[frames[-1]] += n
        component = 'other'
        for f in reversed(frames):
            hit = next((name for name, marker in COMPONENTS if marker in f), None)
            if hit:
                component = hit
                break
        by_component[component] += n
    print(f'{total} samples')
    for name, n in by_component.most_common():
        print(f'{100 * n / total:5.1f}%  {name}')
    print('-- hottest frames (self)')
    for name, n in by_frame.most_common(top):
        print(f'{100 * n / total:5.1f}%  {name[:120]}')


if __name__ == '__main__':
    main(sys.argv[1])
