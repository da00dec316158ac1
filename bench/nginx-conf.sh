# Sourced by bench/run-bench.sh and bench/warmup.sh: the one nginx configuration the distributor is compared
# with, a weighted proxy in front of bench/analyzers.yaml's analyzers (weights 4/3/2/1) that keeps bodies in
# memory as the distributor does (the default 16k buffer spills large packets to disk).
# usage: nginx_conf PORT TEMP_DIR > nginx.conf   (the caller sets pid and error_log with nginx -g)
nginx_conf() {
  local port=$1 temp=$2
  cat <<NGINX
worker_processes ${NGINX_WORKERS:-auto};
daemon off;
master_process on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $temp/body;
  proxy_temp_path $temp/proxy;
  fastcgi_temp_path $temp/fastcgi;
  uwsgi_temp_path $temp/uwsgi;
  scgi_temp_path $temp/scgi;
  client_max_body_size 1m;
  client_body_buffer_size 1m;
  keepalive_requests 1000000;
  upstream analyzers {
    server 127.0.0.1:29001 weight=4;
    server 127.0.0.1:29002 weight=3;
    server 127.0.0.1:29003 weight=2;
    server 127.0.0.1:29004 weight=1;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$port;
    location = /ingest {
      proxy_pass http://analyzers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
}
