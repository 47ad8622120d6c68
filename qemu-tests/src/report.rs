//! Output without allocation: a line buffer on fd 1, and the test report.

use core::fmt::{self, Write};

/// Formats into a fixed buffer and writes it to standard output in one `write` per line, so
/// that lines of a test never interleave with a child's output.
pub struct Line {
    buffer: [u8; 512],
    length: usize,
}

impl Line {
    pub fn new() -> Line {
        Line { buffer: [0; 512], length: 0 }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buffer[..self.length]
    }

    pub fn flush(&mut self) {
        let mut rest = &self.buffer[..self.length];
        while !rest.is_empty() {
            // SAFETY: `write` reads `rest.len()` bytes from a live buffer.
            let written = unsafe {
                rawsys::syscall3(rawsys::nr::__NR_write, 1, rest.as_ptr() as usize, rest.len())
            };
            match written {
                Ok(count) if count > 0 => rest = &rest[count..],
                Err(rawsys::Errno::EINTR) => {}
                _ => break,
            }
        }
        self.length = 0;
    }
}

impl Write for Line {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        // A line longer than the buffer is cut, never lost entirely: the verdict comes first.
        let room = self.buffer.len() - self.length;
        let taken = text.len().min(room);
        self.buffer[self.length..self.length + taken].copy_from_slice(&text.as_bytes()[..taken]);
        self.length += taken;
        Ok(())
    }
}

/// Prints a formatted line to standard output.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut line = $crate::report::Line::new();
        let _ = core::fmt::Write::write_fmt(&mut line, format_args!($($arg)*));
        let _ = core::fmt::Write::write_str(&mut line, "\n");
        line.flush();
    }};
}

/// The outcome of one test.
// A failure carries its line by value: there is no allocator to box it.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    Passed,
    Failed(Line),
    Skipped(&'static str),
}

/// Builds a failure: what was expected and what came back.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => {{
        let mut line = $crate::report::Line::new();
        let _ = core::fmt::Write::write_fmt(&mut line, format_args!($($arg)*));
        $crate::report::Outcome::Failed(line)
    }};
}

/// Passes when `got == expected`, fails naming both otherwise.
#[macro_export]
macro_rules! expect_eq {
    ($got:expr, $expected:expr) => {{
        let got = $got;
        let expected = $expected;
        if got == expected {
            $crate::report::Outcome::Passed
        } else {
            $crate::fail!("expected {:?}, got {:?}", expected, got)
        }
    }};
}

pub struct Report {
    pub passed: u32,
    pub failed: u32,
    pub skipped: u32,
}

impl Report {
    pub fn run(
        &mut self,
        name: &str,
        context: &crate::Context,
        test: fn(&crate::Context) -> Outcome,
    ) {
        match test(context) {
            Outcome::Passed => {
                self.passed += 1;
                say!("[OK] {}", name);
            }
            Outcome::Failed(detail) => {
                self.failed += 1;
                let detail = core::str::from_utf8(detail.as_bytes()).unwrap_or("?");
                say!("[FAIL] {} ({}): {}", name, crate::ARCH, detail);
            }
            Outcome::Skipped(reason) => {
                self.skipped += 1;
                say!("[SKIP] {}: {}", name, reason);
            }
        }
    }
}
