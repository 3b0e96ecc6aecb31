//! A real nginx (Debian's binary) on a loopback port, for end-to-end tests of the shipped nginx
//! configuration. It runs as a single unprivileged-port process with its configuration, pid file,
//! logs and temporary files in its own directory, and stops when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::browser::TempDir;

/// Where Debian puts nginx; `NGINX` overrides it.
pub fn nginx_path() -> PathBuf {
    std::env::var_os("NGINX")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/nginx"))
}

pub struct Nginx {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Nginx {
    /// Starts nginx with one `server` on 127.0.0.1 that `include`s `server_snippet` (a file of
    /// `location` blocks, such as the one `cargo xtask dist` writes).
    pub async fn start(server_snippet: &Path) -> anyhow::Result<Self> {
        let binary = nginx_path();
        anyhow::ensure!(
            binary.exists(),
            "{} not found: install Debian's nginx (cargo xtask test does it when run as root: apt-get install nginx)",
            binary.display()
        );
        let dir = TempDir::new("cloudpc-nginx")?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mime = Path::new("/etc/nginx/mime.types");
        let types = if mime.is_file() {
            format!("include {};", mime.display())
        } else {
            "types { text/html html; application/javascript js; text/css css; application/json json; application/wasm wasm; }".to_string()
        };
        let d = dir.0.display();
        let conf = format!(
            "daemon off;\n\
             master_process off;\n\
             worker_processes 1;\n\
             pid {d}/nginx.pid;\n\
             error_log {d}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n\
             \x20   {types}\n\
             \x20   default_type application/octet-stream;\n\
             \x20   access_log {d}/access.log;\n\
             \x20   client_body_temp_path {d}/client_body;\n\
             \x20   proxy_temp_path {d}/proxy;\n\
             \x20   fastcgi_temp_path {d}/fastcgi;\n\
             \x20   uwsgi_temp_path {d}/uwsgi;\n\
             \x20   scgi_temp_path {d}/scgi;\n\
             \x20   server {{\n\
             \x20       listen 127.0.0.1:{port};\n\
             \x20       server_name localhost;\n\
             \x20       include {};\n\
             \x20   }}\n\
             }}\n",
            server_snippet.display()
        );
        let conf_path = dir.0.join("nginx.conf");
        std::fs::write(&conf_path, conf)?;
        let args = |cmd: &mut Command| {
            cmd.arg("-p")
                .arg(&dir.0)
                .arg("-c")
                .arg(&conf_path)
                .arg("-e")
                .arg(dir.0.join("error.log"));
        };
        let mut check = Command::new(&binary);
        args(&mut check);
        let checked = check.arg("-t").output()?;
        anyhow::ensure!(
            checked.status.success(),
            "nginx rejects the configuration:\n{}",
            String::from_utf8_lossy(&checked.stderr)
        );
        let mut cmd = Command::new(&binary);
        args(&mut cmd);
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut nginx = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(nginx);
            }
            if let Some(status) = nginx.child.try_wait()? {
                anyhow::bail!("nginx exited ({status}):\n{}", nginx.error_log());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "nginx did not listen on port {port} within 10 s:\n{}",
                nginx.error_log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("error.log")).unwrap_or_default()
    }

    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("access.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
