//! What can stop a session: a config or dataset a learner chose, or the device.

use crate::backend::DeviceError;
use crate::config::ConfigError;
use crate::data::DataError;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum EngineError {
    Config(Vec<ConfigError>),
    Data(DataError),
    /// `dataset = csv` without a CSV file in the assets (the file is not part of a URL).
    MissingCsv,
    /// The device failed (e.g. a lost WebGPU device): the caller can fall back to the CPU.
    Device(DeviceError),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Config(errs) => {
                let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                write!(f, "invalid configuration: {}", msgs.join("; "))
            }
            EngineError::Data(e) => write!(f, "data: {e}"),
            EngineError::MissingCsv => write!(f, "data: {}", DataError::MissingCsv),
            EngineError::Device(e) => write!(f, "device: {e}"),
        }
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EngineError::Data(e) => Some(e),
            EngineError::Device(e) => Some(e),
            EngineError::Config(_) | EngineError::MissingCsv => None,
        }
    }
}

impl From<DataError> for EngineError {
    fn from(e: DataError) -> Self {
        match e {
            // Its own variant: the page answers it with an import button, not a message.
            DataError::MissingCsv => EngineError::MissingCsv,
            e => EngineError::Data(e),
        }
    }
}

impl From<DeviceError> for EngineError {
    fn from(e: DeviceError) -> Self {
        EngineError::Device(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn wraps_its_cause_as_the_source() {
        let e = EngineError::from(DataError::Empty);
        assert_eq!(e.to_string(), "data: digits file: no rows");
        let source = e.source().expect("a source").downcast_ref::<DataError>();
        assert_eq!(source, Some(&DataError::Empty));
        assert_eq!(EngineError::from(DataError::MissingCsv), EngineError::MissingCsv);
        let e = EngineError::from(DeviceError::NoWebGpu);
        assert_eq!(e.to_string(), "device: no WebGPU device");
        assert!(e.source().is_some());
    }
}
