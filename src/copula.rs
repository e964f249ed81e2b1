//! Correlation matrices (temporary stub: replaced by the full module).
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatrix {
    l: nalgebra::DMatrix<f64>,
}
impl CorrelationMatrix {
    pub fn identity(n: usize) -> Self {
        Self {
            l: nalgebra::DMatrix::identity(n, n),
        }
    }
    pub fn new(rows: &[Vec<f64>]) -> Result<Self, String> {
        let n = rows.len();
        let m = nalgebra::DMatrix::from_fn(n, n, |i, j| rows[i][j]);
        let l = m.cholesky().ok_or("not positive definite")?.l();
        Ok(Self { l })
    }
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }
    pub fn correlate(&self, z: &[f64], out: &mut [f64]) {
        for i in 0..self.dim() {
            out[i] = (0..=i).map(|j| self.l[(i, j)] * z[j]).sum();
        }
    }
}
