# platform/postgres:15: the local stand-in for the postgres:15 image (built by build.sh from Debian's postgresql-15).
# Honours what the platform uses of the official image: POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB,
# /docker-entrypoint-initdb.d/*.sh|*.sql on first start, PGDATA, pg_isready on the PATH.
FROM platform/postgres-rootfs:15
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
