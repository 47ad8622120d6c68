//! The program entry for freestanding binaries (feature `start`).
//!
//! With this feature rawsys defines the ELF entry symbol `_start` for the target architecture.
//! The kernel starts a process with the stack pointer at the word `argc`, followed by the
//! `argv` pointers and a null, the `envp` pointers and a null, and the auxiliary vector: pairs
//! of words ending with `AT_NULL`. `_start` sets up what the ABI asks of a first frame (stack
//! alignment, a cleared frame pointer, `$gp` or the TOC pointer where the architecture has
//! one), then calls the program's main function with a [`StartArgs`] and ends the process with
//! `exit_group` and the value main returned.
//!
//! The program names its main function with [`main!`](crate::main):
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//!
//! fn main(args: &rawsys::start::StartArgs) -> i32 {
//!     args.argc() as i32
//! }
//! rawsys::main!(main);
//!
//! #[panic_handler]
//! fn panic(_: &core::panic::PanicInfo) -> ! {
//!     rawsys::exit_group(101)
//! }
//! ```
//!
//! Link such a program statically, without the C runtime: for example with
//! `-C linker=rust-lld -C linker-flavor=ld.lld -C relocation-model=static`, and build `core`
//! with `-Zbuild-std=core -Zbuild-std-features=compiler-builtins-mem` so that `memcpy` and its
//! kin exist.

use core::ffi::{CStr, c_char};

/// An entry of the auxiliary vector: a key (`AT_PAGESZ`, `AT_HWCAP`, ...) and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct AuxEntry {
    /// The `AT_*` key.
    pub key: usize,
    /// The value.
    pub value: usize,
}

/// What the kernel passed to the program: arguments, environment and auxiliary vector.
#[derive(Clone, Copy, Debug)]
pub struct StartArgs {
    argc: usize,
    argv: *const *const c_char,
    envp: *const *const c_char,
    auxv: *const AuxEntry,
}

impl StartArgs {
    /// Reads the initial stack that the kernel laid out.
    ///
    /// # Safety
    ///
    /// `stack` must point at the `argc` word of a process's initial stack, laid out as the
    /// kernel does for `execve`, and that memory must stay untouched for the life of the
    /// returned value.
    pub unsafe fn from_initial_stack(stack: *const usize) -> StartArgs {
        // SAFETY: the caller promises the kernel's layout: argc, then argc pointers and a null,
        // then the environment pointers and a null, then the auxiliary vector.
        unsafe {
            let argc = *stack;
            let argv = stack.add(1).cast::<*const c_char>();
            let envp = argv.add(argc + 1);
            let mut end_of_env = envp;
            while !(*end_of_env).is_null() {
                end_of_env = end_of_env.add(1);
            }
            let auxv = end_of_env.add(1).cast::<AuxEntry>();
            StartArgs { argc, argv, envp, auxv }
        }
    }

    /// The number of arguments, the program name included.
    pub fn argc(&self) -> usize {
        self.argc
    }

    /// The `argv` array, null-terminated, as the kernel placed it.
    pub fn argv(&self) -> *const *const c_char {
        self.argv
    }

    /// The `envp` array, null-terminated, as the kernel placed it.
    pub fn envp(&self) -> *const *const c_char {
        self.envp
    }

    /// Argument `index`, or `None` past the last one.
    pub fn arg(&self, index: usize) -> Option<&CStr> {
        if index >= self.argc {
            return None;
        }
        // SAFETY: `index < argc`, so the pointer is one of the kernel's non-null argument
        // strings, which live as long as the process.
        unsafe { Some(CStr::from_ptr(*self.argv.add(index))) }
    }

    /// The arguments in order, the program name first.
    pub fn args(&self) -> impl Iterator<Item = &CStr> + '_ {
        (0..self.argc).filter_map(|index| self.arg(index))
    }

    /// The environment strings (`NAME=value`) in order.
    pub fn env(&self) -> impl Iterator<Item = &CStr> + '_ {
        let mut next = self.envp;
        core::iter::from_fn(move || {
            // SAFETY: `next` walks the kernel's null-terminated environment array and stops at
            // the null.
            unsafe {
                let string = *next;
                if string.is_null() {
                    return None;
                }
                next = next.add(1);
                Some(CStr::from_ptr(string))
            }
        })
    }

    /// The auxiliary vector, without its closing `AT_NULL` entry.
    pub fn auxv(&self) -> impl Iterator<Item = AuxEntry> + '_ {
        let mut next = self.auxv;
        core::iter::from_fn(move || {
            // SAFETY: the auxiliary vector ends with an `AT_NULL` (zero) key, where this stops.
            unsafe {
                let entry = *next;
                if entry.key == 0 {
                    return None;
                }
                next = next.add(1);
                Some(entry)
            }
        })
    }

    /// The value of auxiliary vector entry `key` (`AT_PAGESZ`, ...), if the kernel passed one.
    pub fn aux(&self, key: usize) -> Option<usize> {
        self.auxv().find(|entry| entry.key == key).map(|entry| entry.value)
    }
}

unsafe extern "Rust" {
    /// Defined by the program through [`main!`](crate::main).
    fn __rawsys_main(args: &StartArgs) -> i32;
}

/// Called by each architecture's `_start` with the address of `argc`.
///
/// # Safety
///
/// Only `_start` calls this, once, with the initial stack the kernel laid out.
pub(crate) unsafe extern "C" fn entry(stack: *const usize) -> ! {
    // SAFETY: `_start` passes the kernel's initial stack, which nothing else touches.
    let args = unsafe { StartArgs::from_initial_stack(stack) };
    // SAFETY: `main!` defines the symbol with exactly this signature.
    let status = unsafe { __rawsys_main(&args) };
    crate::exit_group(status)
}

/// Names the program's main function for the `_start` entry.
///
/// The function takes `&rawsys::start::StartArgs` and returns the exit status as an `i32`.
#[macro_export]
macro_rules! main {
    ($main:path) => {
        #[unsafe(no_mangle)]
        fn __rawsys_main(args: &$crate::start::StartArgs) -> i32 {
            $main(args)
        }
    };
}
