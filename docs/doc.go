// Package docs holds ssrmock's documentation for vendors; its tests keep the README, the
// examples, the Dockerfile, docker-compose.yml and the CI recipe true to the code.
package docs
