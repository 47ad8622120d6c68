//! minit (`examples/minit.rs`) held against tini and dumb-init: the same scenarios, the same
//! assertions, each init as PID 1 of a new PID namespace and as a plain process that must
//! adopt orphans as a child subreaper.
//!
//! The freestanding minit is built with `qemu-tests/build.sh x86_64 --example minit` and run
//! natively. tini and dumb-init are Debian's (`.ci/deps.sh` installs them); an init that is not
//! installed is reported as skipped, as are the PID-namespace runs when not root.
//!
//! Where the inits differ, the difference is the expectation, with its reason beside it:
//!
//! - dumb-init ends with 2, not 127 or 126, when its program cannot start.
//! - dumb-init never registers as a child subreaper: outside PID 1 the orphans of its program
//!   go to the host's reaper, not to dumb-init.
//! - tini adopts orphans outside PID 1 only with `-s`, which these runs give it.
//!
//! Each case prints one line: the init, where it ran, the scenario, and `ok` or what went wrong.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Supervisor {
    Minit,
    Tini,
    DumbInit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// PID 1 of a new PID namespace (`unshare --pid --fork --mount-proc`).
    Pid1,
    /// An ordinary process of the host's namespace, asked to be a subreaper.
    Subreaper,
}

const INITS: [Supervisor; 3] = [Supervisor::Minit, Supervisor::Tini, Supervisor::DumbInit];
const PLACES: [Place; 2] = [Place::Pid1, Place::Subreaper];
const DEADLINE: Duration = Duration::from_secs(20);

fn minit_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let output = Command::new("bash")
            .arg(root.join("qemu-tests/build.sh"))
            .args(["x86_64", "--example", "minit"])
            .stderr(Stdio::inherit())
            .output()
            .expect("run qemu-tests/build.sh");
        assert!(output.status.success(), "building minit failed: {:?}", output.status);
        PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
    })
}

fn installed(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Whether PID namespaces can be made here: root, and an `unshare` that works.
fn namespaces_work() -> bool {
    static WORKS: OnceLock<bool> = OnceLock::new();
    *WORKS.get_or_init(|| {
        // A guard for the reboot path of minit: it may power off only as PID 1 with this word
        // on the kernel command line, and the host's must not carry it.
        let command_line = fs::read_to_string("/proc/cmdline").unwrap_or_default();
        assert!(
            !command_line.split_whitespace().any(|word| word == "rawsys.poweroff=1"),
            "this host's kernel command line carries rawsys.poweroff=1: refusing to run minit as \
             PID 1 here"
        );
        Command::new("unshare")
            .args(["--pid", "--fork", "--mount-proc", "true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

/// The command line of `init` at `place`, running `program`. `group` asks for signals to go to
/// the program's process group (dumb-init's default; its `--single-child` turns it off).
fn command(init: Supervisor, place: Place, group: bool, program: &[&str]) -> Command {
    let mut words: Vec<String> = Vec::new();
    if place == Place::Pid1 {
        words.extend(["unshare", "--pid", "--fork", "--mount-proc"].map(String::from));
    }
    match init {
        Supervisor::Minit => {
            words.push(minit_binary().display().to_string());
            if group {
                words.push("-g".into());
            }
        }
        Supervisor::Tini => {
            words.push("tini".into());
            if place == Place::Subreaper {
                words.push("-s".into());
            }
            if group {
                words.push("-g".into());
            }
        }
        Supervisor::DumbInit => {
            words.push("dumb-init".into());
            if !group {
                words.push("--single-child".into());
            }
        }
    }
    if init != Supervisor::DumbInit {
        words.push("--".into());
    }
    words.extend(program.iter().map(|word| word.to_string()));
    let mut command = Command::new(&words[0]);
    command.args(&words[1..]).stdin(Stdio::null());
    command
}

/// A scratch directory for one case, handed to the scripts as `$D`.
fn scratch(name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("minit-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&directory);
    fs::create_dir_all(&directory).unwrap();
    directory
}

fn wait_with_deadline(child: &mut Child) -> Result<ExitStatus, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|error| error.to_string())? {
            return Ok(status);
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            return Err("timed out".into());
        }
        sleep(Duration::from_millis(10));
    }
}

fn wait_for_file(path: &Path, content: &str) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        if fs::read_to_string(path).is_ok_and(|text| text.contains(content)) {
            return Ok(());
        }
        sleep(Duration::from_millis(10));
    }
    Err(format!("{} never held {content:?}", path.display()))
}

/// The host pid of the init: unshare's child in a namespace, the spawned process otherwise.
fn init_pid(child: &Child, place: Place) -> Result<i32, String> {
    let pid = child.id();
    if place == Place::Subreaper {
        return Ok(pid as i32);
    }
    let children = format!("/proc/{pid}/task/{pid}/children");
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        let text = fs::read_to_string(&children).unwrap_or_default();
        if let Some(first) = text.split_whitespace().next() {
            return Ok(first.parse().unwrap());
        }
        sleep(Duration::from_millis(10));
    }
    Err("unshare's child never appeared".into())
}

fn kill(pid: i32, signal: i32) {
    // SAFETY: kill takes integers.
    let result = unsafe { libc::kill(pid, signal) };
    assert_eq!(result, 0, "kill({pid}, {signal})");
}

/// Every init at every place through `case`; prints a line per run and fails if any failed.
fn each_init(scenario: &str, case: impl Fn(Supervisor, Place) -> Result<(), String>) {
    let mut failures = Vec::new();
    for init in INITS {
        for place in PLACES {
            let label = format!("{init:?} {place:?} {scenario}");
            let skip = match (init, place) {
                (Supervisor::Tini, _) if !installed("tini") => Some("tini is not installed"),
                (Supervisor::DumbInit, _) if !installed("dumb-init") => {
                    Some("dumb-init not installed")
                }
                (_, Place::Pid1) if !namespaces_work() => Some("no PID namespaces (not root?)"),
                _ => None,
            };
            if let Some(reason) = skip {
                println!("[SKIP] {label}: {reason}");
                continue;
            }
            match case(init, place) {
                Ok(()) => println!("[OK] {label}"),
                Err(problem) => {
                    println!("[FAIL] {label}: {problem}");
                    failures.push(format!("{label}: {problem}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn expect_code(status: ExitStatus, expected: i32) -> Result<(), String> {
    match status.code() {
        Some(code) if code == expected => Ok(()),
        _ => Err(format!("expected exit code {expected}, got {status:?}")),
    }
}

#[test]
fn exit_code_is_propagated() {
    each_init("exit code", |init, place| {
        let status = command(init, place, false, &["sh", "-c", "exit 7"])
            .status()
            .map_err(|error| error.to_string())?;
        expect_code(status, 7)
    });
}

#[test]
fn death_by_signal_is_128_plus_n() {
    each_init("death by signal", |init, place| {
        let status = command(init, place, false, &["sh", "-c", "kill -KILL $$"])
            .status()
            .map_err(|error| error.to_string())?;
        expect_code(status, 128 + libc::SIGKILL)
    });
}

/// The program traps SIGUSR1 (writes a marker) and SIGTERM (writes a marker, exits with 42);
/// the test signals the init, never the program.
fn forwarding(init: Supervisor, place: Place, group: bool, name: &str) -> Result<(), String> {
    let directory = scratch(&format!("{init:?}-{place:?}-{name}"));
    let script = r#"
        trap 'echo usr1 >> "$D/marks"' USR1
        trap 'echo term >> "$D/marks"; exit 42' TERM
        echo ready > "$D/ready"
        while :; do sleep 0.05; done
    "#;
    // stderr is quiet: with a group, the shell reports the `sleep` the signals killed.
    let mut child = command(init, place, group, &["sh", "-c", script])
        .env("D", &directory)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| error.to_string())?;
    let result = (|| {
        let pid = init_pid(&child, place)?;
        wait_for_file(&directory.join("ready"), "ready")?;
        kill(pid, libc::SIGUSR1);
        wait_for_file(&directory.join("marks"), "usr1")?;
        kill(pid, libc::SIGTERM);
        let status = wait_with_deadline(&mut child)?;
        expect_code(status, 42)?;
        let marks = fs::read_to_string(directory.join("marks")).unwrap_or_default();
        if marks != "usr1\nterm\n" {
            return Err(format!("marks {marks:?}"));
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let _ = fs::remove_dir_all(&directory);
    result
}

#[test]
fn signals_are_forwarded_to_the_child() {
    each_init("forwarding to the child", |init, place| forwarding(init, place, false, "single"));
}

#[test]
fn signals_are_forwarded_to_the_group() {
    each_init("forwarding to the group", |init, place| forwarding(init, place, true, "group"));
}

/// The program leaves an orphan (a double fork) that exits while the program still runs; the
/// orphan notes who adopted it, and the program then counts the zombies its init holds.
const ORPHAN_SCRIPT: &str = r#"
    ( sh -c 'sleep 0.3; read -r pid name state parent rest < /proc/$$/stat;
             echo $parent > "$D/adopter"' & )
    sleep 1
    zombies=0
    for stat in /proc/[0-9]*/stat; do
        { read -r pid name state parent rest < "$stat"; } 2>/dev/null || continue
        [ "$state" = Z ] && [ "$parent" = "$PPID" ] && zombies=$((zombies + 1))
    done
    echo $zombies > "$D/zombies"
    echo $PPID > "$D/init"
"#;

fn read_note(directory: &Path, name: &str) -> String {
    fs::read_to_string(directory.join(name)).unwrap_or_default().trim().to_string()
}

/// The control of the orphan scenario: a subreaper that never reaps (a `sleep` the shell
/// became with `exec`) must leave the orphan a zombie, and the count must see it.
#[test]
fn orphan_control_sees_a_zombie() {
    use std::os::unix::process::CommandExt;
    let directory = scratch("orphan-control");
    let mut command = Command::new("sh");
    command
        .args(["-c", "sh -c \"$S\" & exec sleep 30"])
        .env("S", ORPHAN_SCRIPT)
        .env("D", &directory);
    // SAFETY: prctl with integer arguments is async-signal-safe and changes only the new
    // process.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = command.spawn().unwrap();
    let noted = wait_for_file(&directory.join("init"), "\n");
    let _ = child.kill();
    let _ = child.wait();
    let (zombies, adopter, init) = (
        read_note(&directory, "zombies"),
        read_note(&directory, "adopter"),
        read_note(&directory, "init"),
    );
    let _ = fs::remove_dir_all(&directory);
    noted.unwrap();
    assert_eq!(adopter, child.id().to_string(), "the orphan's adopter");
    assert_eq!(init, adopter);
    assert_eq!(zombies, "1", "the zombie count under a subreaper that does not reap");
}

#[test]
fn orphans_are_adopted_and_reaped() {
    each_init("orphans reaped", |init, place| {
        let directory = scratch(&format!("{init:?}-{place:?}-orphans"));
        let status = command(init, place, false, &["sh", "-c", ORPHAN_SCRIPT])
            .env("D", &directory)
            .status()
            .map_err(|error| error.to_string());
        let read = |name: &str| read_note(&directory, name);
        let (adopter, zombies, init_pid) = (read("adopter"), read("zombies"), read("init"));
        let _ = fs::remove_dir_all(&directory);
        expect_code(status?, 0)?;
        if zombies != "0" {
            return Err(format!("{zombies:?} zombies left under the init"));
        }
        // dumb-init is no subreaper: outside PID 1 the orphan goes past it.
        let adopted = adopter == init_pid;
        let expect_adopted = !(init == Supervisor::DumbInit && place == Place::Subreaper);
        if adopted != expect_adopted {
            return Err(format!("orphan adopted by {adopter:?}, init is {init_pid:?}"));
        }
        Ok(())
    });
}

#[test]
fn start_failures_are_126_and_127() {
    let directory = scratch("start-failures");
    let not_executable = directory.join("not-executable");
    fs::write(&not_executable, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&not_executable, fs::Permissions::from_mode(0o644)).unwrap();
    let not_executable = not_executable.display().to_string();
    each_init("start failures", |init, place| {
        // dumb-init reports any failed exec with 2.
        let (missing, refused) = if init == Supervisor::DumbInit { (2, 2) } else { (127, 126) };
        let run = |path: &str| {
            command(init, place, false, &[path])
                .stderr(Stdio::piped())
                .output()
                .map_err(|error| error.to_string())
        };
        let output = run("/no/such/program")?;
        expect_code(output.status, missing)?;
        if !String::from_utf8_lossy(&output.stderr).contains("/no/such/program") {
            return Err(format!("stderr without the path: {:?}", output.stderr));
        }
        let output = run(&not_executable)?;
        expect_code(output.status, refused)?;
        if init == Supervisor::Minit {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !stderr.contains(&not_executable) || !stderr.contains("EACCES") {
                return Err(format!("stderr without path and errno: {stderr:?}"));
            }
        }
        Ok(())
    });
    let _ = fs::remove_dir_all(&directory);
}
