//! Which backend a run trains on, and which of the two builds this page is.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    WebGpu,
    Cpu,
}

impl Backend {
    pub fn id(self) -> &'static str {
        match self {
            Backend::WebGpu => "webgpu",
            Backend::Cpu => "cpu",
        }
    }
    pub fn from_id(s: &str) -> Option<Self> {
        match s {
            "webgpu" => Some(Backend::WebGpu),
            "cpu" => Some(Backend::Cpu),
            _ => None,
        }
    }
}

/// Whether this build has the WebGPU backend. The default page (index.html) is the CPU build:
/// a fraction of the size, so it loads and trains at once (and tiny networks train faster on the
/// CPU anyway); gpu.html is the same app with WebGPU.
pub const HAS_WEBGPU: bool = cfg!(feature = "webgpu");

/// The page of the build that runs `backend` (relative: the site works under any sub-path).
pub fn page_for(backend: Backend) -> &'static str {
    match backend {
        Backend::WebGpu => "gpu.html",
        Backend::Cpu => "./",
    }
}
